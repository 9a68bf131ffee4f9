-- CreateTable
CREATE TABLE "pending_upload" (
    "id" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "result" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "pending_upload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "pending_upload_created_at_idx" ON "pending_upload"("created_at");
