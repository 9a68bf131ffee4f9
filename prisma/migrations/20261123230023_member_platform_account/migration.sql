-- AlterTable
ALTER TABLE "member" ADD COLUMN     "platform_account" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "member_platform_account_key" ON "member"("platform_account");
