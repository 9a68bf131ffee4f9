-- CreateEnum
CREATE TYPE "Track" AS ENUM ('presales', 'aftersales');

-- CreateEnum
CREATE TYPE "Level" AS ENUM ('trainee', 'regular', 'senior', 'lead', 'supervisor');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('agent', 'lead', 'supervisor', 'admin');

-- CreateEnum
CREATE TYPE "PenaltyStatus" AS ENUM ('active', 'revoked');

-- CreateTable
CREATE TABLE "member" (
    "id" SERIAL NOT NULL,
    "slack_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "track" "Track" NOT NULL,
    "level" "Level" NOT NULL,
    "role" "Role" NOT NULL,
    "hired_on" DATE NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "deactivated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_version" (
    "id" SERIAL NOT NULL,
    "effective_from" DATE NOT NULL,
    "policy" JSONB NOT NULL,
    "set_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "daily_metric" (
    "member_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "inquiries" INTEGER,
    "paid_customers" INTEGER,
    "receptions" INTEGER,
    "gmv_fen" BIGINT,
    "refund_customers" INTEGER,
    "cases" INTEGER,
    "resolved" INTEGER,
    "service_score" DOUBLE PRECISION,
    "avg_response_sec" DOUBLE PRECISION,
    "import_batch_id" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "daily_metric_pkey" PRIMARY KEY ("member_id","day")
);

-- CreateTable
CREATE TABLE "penalty" (
    "id" SERIAL NOT NULL,
    "member_id" INTEGER NOT NULL,
    "rule_code" TEXT,
    "reason" TEXT NOT NULL,
    "amount_fen" INTEGER NOT NULL,
    "loss_fen" INTEGER NOT NULL DEFAULT 0,
    "points" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "occurred_on" DATE NOT NULL,
    "recorded_by_id" INTEGER NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "PenaltyStatus" NOT NULL DEFAULT 'active',
    "revoked_by_id" INTEGER,
    "revoked_at" TIMESTAMPTZ(3),
    "revoke_reason" TEXT,

    CONSTRAINT "penalty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_batch" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "row_count" INTEGER NOT NULL,
    "imported_by" TEXT,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "import_batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "month_close" (
    "month" TEXT NOT NULL,
    "closed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_by" TEXT,
    "reopened_at" TIMESTAMPTZ(3),
    "reopened_by" TEXT,
    "reopen_why" TEXT,

    CONSTRAINT "month_close_pkey" PRIMARY KEY ("month")
);

-- CreateTable
CREATE TABLE "score_snapshot" (
    "period" TEXT NOT NULL,
    "member_id" INTEGER NOT NULL,
    "track" "Track" NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "rank" INTEGER NOT NULL,
    "award_rank" INTEGER,
    "award_fen" INTEGER NOT NULL DEFAULT 0,
    "streak" INTEGER NOT NULL DEFAULT 0,
    "detail" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "score_snapshot_pkey" PRIMARY KEY ("period","member_id")
);

-- CreateTable
CREATE TABLE "job_run" (
    "id" SERIAL NOT NULL,
    "job" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "error" TEXT,
    "progress" JSONB,

    CONSTRAINT "job_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT,
    "detail" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "member_slack_id_key" ON "member"("slack_id");

-- CreateIndex
CREATE UNIQUE INDEX "policy_version_effective_from_key" ON "policy_version"("effective_from");

-- CreateIndex
CREATE INDEX "daily_metric_day_idx" ON "daily_metric"("day");

-- CreateIndex
CREATE INDEX "penalty_member_id_occurred_on_idx" ON "penalty"("member_id", "occurred_on");

-- CreateIndex
CREATE INDEX "penalty_occurred_on_idx" ON "penalty"("occurred_on");

-- CreateIndex
CREATE UNIQUE INDEX "job_run_job_period_key" ON "job_run"("job", "period");

-- CreateIndex
CREATE INDEX "audit_log_action_at_idx" ON "audit_log"("action", "at");

-- AddForeignKey
ALTER TABLE "daily_metric" ADD CONSTRAINT "daily_metric_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "daily_metric" ADD CONSTRAINT "daily_metric_import_batch_id_fkey" FOREIGN KEY ("import_batch_id") REFERENCES "import_batch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "penalty" ADD CONSTRAINT "penalty_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "penalty" ADD CONSTRAINT "penalty_recorded_by_id_fkey" FOREIGN KEY ("recorded_by_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "penalty" ADD CONSTRAINT "penalty_revoked_by_id_fkey" FOREIGN KEY ("revoked_by_id") REFERENCES "member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "score_snapshot" ADD CONSTRAINT "score_snapshot_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
