-- AlterTable
ALTER TABLE "job_run" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lease_until" TIMESTAMPTZ(3),
ADD COLUMN     "owner" TEXT;

-- AlterTable
ALTER TABLE "score_snapshot" ADD COLUMN     "last_place" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "level" "Level" NOT NULL,
ADD COLUMN     "rotation_flag" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "total_fen" INTEGER NOT NULL,
ALTER COLUMN "score" DROP NOT NULL,
ALTER COLUMN "rank" DROP NOT NULL;

-- CreateTable
CREATE TABLE "outbox" (
    "id" SERIAL NOT NULL,
    "run_id" INTEGER,
    "key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_key_key" ON "outbox"("key");

-- CreateIndex
CREATE INDEX "outbox_status_next_attempt_at_idx" ON "outbox"("status", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "job_run"("id") ON DELETE SET NULL ON UPDATE CASCADE;
