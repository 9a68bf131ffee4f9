-- CreateTable
CREATE TABLE "member_assignment" (
    "id" SERIAL NOT NULL,
    "member_id" INTEGER NOT NULL,
    "effective_from" DATE NOT NULL,
    "track" "Track" NOT NULL,
    "level" "Level" NOT NULL,
    "role" "Role" NOT NULL,
    "set_by" TEXT,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "member_assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "member_activity" (
    "id" SERIAL NOT NULL,
    "member_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "active" BOOLEAN NOT NULL,
    "set_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "member_activity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "member_assignment_member_id_effective_from_key" ON "member_assignment"("member_id", "effective_from");

-- CreateIndex
CREATE INDEX "member_activity_member_id_day_idx" ON "member_activity"("member_id", "day");

-- AddForeignKey
ALTER TABLE "member_assignment" ADD CONSTRAINT "member_assignment_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "member_activity" ADD CONSTRAINT "member_activity_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- an assignment or an activity entry written in any way makes the results from its month on stale
CREATE FUNCTION member_history_bump_new() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO month_version AS v (month, n)
  SELECT DISTINCT to_char(CASE WHEN TG_TABLE_NAME = 'member_assignment' THEN r.effective_from ELSE r.day END, 'YYYY-MM'), 1
  FROM (SELECT to_jsonb(n) AS j FROM new_rows n) x,
       LATERAL (SELECT (x.j->>'effective_from')::date AS effective_from, (x.j->>'day')::date AS day) r
  ON CONFLICT (month) DO UPDATE SET n = v.n + 1;
  RETURN NULL;
END
$fn$;
CREATE FUNCTION member_history_bump_old() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO month_version AS v (month, n)
  SELECT DISTINCT to_char(CASE WHEN TG_TABLE_NAME = 'member_assignment' THEN r.effective_from ELSE r.day END, 'YYYY-MM'), 1
  FROM (SELECT to_jsonb(o) AS j FROM old_rows o) x,
       LATERAL (SELECT (x.j->>'effective_from')::date AS effective_from, (x.j->>'day')::date AS day) r
  ON CONFLICT (month) DO UPDATE SET n = v.n + 1;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER member_assignment_insert AFTER INSERT ON member_assignment
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION member_history_bump_new();
CREATE TRIGGER member_assignment_update AFTER UPDATE ON member_assignment
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION member_history_bump_old();
CREATE TRIGGER member_assignment_update_new AFTER UPDATE ON member_assignment
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION member_history_bump_new();
CREATE TRIGGER member_assignment_delete AFTER DELETE ON member_assignment
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION member_history_bump_old();
CREATE TRIGGER member_activity_insert AFTER INSERT ON member_activity
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION member_history_bump_new();
CREATE TRIGGER member_activity_update AFTER UPDATE ON member_activity
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION member_history_bump_old();
CREATE TRIGGER member_activity_update_new AFTER UPDATE ON member_activity
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION member_history_bump_new();
CREATE TRIGGER member_activity_delete AFTER DELETE ON member_activity
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION member_history_bump_old();

-- a member however added (an import, the demo, a statement by hand) starts with their values from hired_on
CREATE FUNCTION member_first_assignment() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO member_assignment (member_id, effective_from, track, level, role, set_by, note)
  VALUES (NEW.id, NEW.hired_on, NEW.track, NEW.level, NEW.role, 'hire', NULL)
  ON CONFLICT (member_id, effective_from) DO NOTHING;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER member_first_assignment AFTER INSERT ON member
  FOR EACH ROW EXECUTE FUNCTION member_first_assignment();

-- an existing database: each member's current track, level and role become their first assignment
-- from hired_on, and a deactivated member is away from the day (team calendar) of their deactivation
INSERT INTO member_assignment (member_id, effective_from, track, level, role, set_by, note)
SELECT id, hired_on, track, level, role, 'migration', 'as on the roster when history began' FROM member;

INSERT INTO member_activity (member_id, day, active, set_by)
SELECT m.id, GREATEST(m.hired_on, (m.deactivated_at AT TIME ZONE COALESCE(
    (SELECT p.policy->>'timezone' FROM policy_version p
      WHERE p.effective_from <= (m.deactivated_at AT TIME ZONE 'UTC')::date
      ORDER BY p.effective_from DESC LIMIT 1),
    (SELECT p.policy->>'timezone' FROM policy_version p ORDER BY p.effective_from LIMIT 1),
    'Asia/Shanghai'))::date), false, 'migration'
FROM member m WHERE NOT m.active;
