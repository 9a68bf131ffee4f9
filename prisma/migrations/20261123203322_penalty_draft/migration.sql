-- CreateTable
CREATE TABLE "penalty_draft" (
    "id" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "slack_id" TEXT NOT NULL,
    "words" TEXT NOT NULL,
    "on" DATE NOT NULL,
    "loss_fen" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "penalty_draft_pkey" PRIMARY KEY ("id")
);
