-- CreateTable
CREATE TABLE "month_change" (
    "id" BIGSERIAL NOT NULL,
    "month" TEXT NOT NULL,
    "n" BIGINT NOT NULL,
    "member_id" INTEGER,

    CONSTRAINT "month_change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "month_change_month_n_idx" ON "month_change"("month", "n");

-- a penalty written in any way names its member for the bump penalty_month_* just made in the same
-- statement (triggers of one event fire in name order: penalty_month_zlog_* after penalty_month_*)
CREATE FUNCTION penalty_month_log() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO month_change (month, n, member_id)
    SELECT c.month, v.n, c.member_id
      FROM (SELECT DISTINCT to_char(occurred_on, 'YYYY-MM') AS month, member_id FROM new_rows) c
      JOIN month_version v ON v.month = c.month;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO month_change (month, n, member_id)
    SELECT c.month, v.n, c.member_id
      FROM (SELECT DISTINCT to_char(r.occurred_on, 'YYYY-MM') AS month, r.member_id
              FROM (SELECT occurred_on, member_id FROM new_rows UNION ALL SELECT occurred_on, member_id FROM old_rows) r) c
      JOIN month_version v ON v.month = c.month;
  ELSE
    INSERT INTO month_change (month, n, member_id)
    SELECT c.month, v.n, c.member_id
      FROM (SELECT DISTINCT to_char(occurred_on, 'YYYY-MM') AS month, member_id FROM old_rows) c
      JOIN month_version v ON v.month = c.month;
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER penalty_month_zlog_insert AFTER INSERT ON penalty
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION penalty_month_log();
CREATE TRIGGER penalty_month_zlog_update AFTER UPDATE ON penalty
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION penalty_month_log();
CREATE TRIGGER penalty_month_zlog_delete AFTER DELETE ON penalty
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION penalty_month_log();
