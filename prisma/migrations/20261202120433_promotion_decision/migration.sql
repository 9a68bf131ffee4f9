-- CreateTable
CREATE TABLE "promotion_decision" (
    "id" SERIAL NOT NULL,
    "member_id" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "from_level" "Level" NOT NULL,
    "to_level" "Level" NOT NULL,
    "decision" TEXT NOT NULL,
    "effective_from" DATE,
    "why" TEXT,
    "decided_by" TEXT NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "detail" JSONB,

    CONSTRAINT "promotion_decision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "promotion_decision_member_id_month_kind_key" ON "promotion_decision"("member_id", "month", "kind");
