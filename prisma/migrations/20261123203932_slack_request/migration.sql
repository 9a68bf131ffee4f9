-- CreateTable
CREATE TABLE "slack_request" (
    "key" TEXT NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_request_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "slack_request_seen_at_idx" ON "slack_request"("seen_at");
