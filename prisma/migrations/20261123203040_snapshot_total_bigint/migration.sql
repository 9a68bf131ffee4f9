-- AlterTable
ALTER TABLE "score_snapshot" ALTER COLUMN "total_fen" SET DATA TYPE BIGINT;
