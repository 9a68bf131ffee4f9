-- AlterTable
ALTER TABLE "month_close" ADD COLUMN     "closes" INTEGER NOT NULL DEFAULT 1;
