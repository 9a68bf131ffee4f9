-- AlterEnum
ALTER TYPE "AppealStatus" ADD VALUE 'closed';
