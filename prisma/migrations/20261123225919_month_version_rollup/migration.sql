-- CreateTable
CREATE TABLE "month_version" (
    "month" TEXT NOT NULL,
    "n" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "month_version_pkey" PRIMARY KEY ("month")
);

-- CreateTable
CREATE TABLE "month_award" (
    "month" TEXT NOT NULL,
    "member_id" INTEGER NOT NULL,
    "award_rank" INTEGER,
    "last_place" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "month_award_pkey" PRIMARY KEY ("month","member_id")
);

-- CreateTable
CREATE TABLE "month_award_state" (
    "month" TEXT NOT NULL,
    "stamp" BIGINT NOT NULL,

    CONSTRAINT "month_award_state_pkey" PRIMARY KEY ("month")
);

-- CreateTable
CREATE TABLE "metric_month" (
    "member_id" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "days" INTEGER NOT NULL DEFAULT 0,
    "sum_inquiries" BIGINT NOT NULL DEFAULT 0,
    "rows_inquiries" INTEGER NOT NULL DEFAULT 0,
    "sum_paid_customers" BIGINT NOT NULL DEFAULT 0,
    "rows_paid_customers" INTEGER NOT NULL DEFAULT 0,
    "sum_receptions" BIGINT NOT NULL DEFAULT 0,
    "rows_receptions" INTEGER NOT NULL DEFAULT 0,
    "sum_gmv_fen" BIGINT NOT NULL DEFAULT 0,
    "rows_gmv_fen" INTEGER NOT NULL DEFAULT 0,
    "sum_refund_customers" BIGINT NOT NULL DEFAULT 0,
    "rows_refund_customers" INTEGER NOT NULL DEFAULT 0,
    "sum_cases" BIGINT NOT NULL DEFAULT 0,
    "rows_cases" INTEGER NOT NULL DEFAULT 0,
    "sum_resolved" BIGINT NOT NULL DEFAULT 0,
    "rows_resolved" INTEGER NOT NULL DEFAULT 0,
    "sum_service_score" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "rows_service_score" INTEGER NOT NULL DEFAULT 0,
    "sum_avg_response_sec" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "rows_avg_response_sec" INTEGER NOT NULL DEFAULT 0,
    "ratio_paid_customers_inquiries_n" BIGINT NOT NULL DEFAULT 0,
    "ratio_paid_customers_inquiries_d" BIGINT NOT NULL DEFAULT 0,
    "ratio_paid_customers_inquiries_r" INTEGER NOT NULL DEFAULT 0,
    "ratio_gmv_fen_paid_customers_n" BIGINT NOT NULL DEFAULT 0,
    "ratio_gmv_fen_paid_customers_d" BIGINT NOT NULL DEFAULT 0,
    "ratio_gmv_fen_paid_customers_r" INTEGER NOT NULL DEFAULT 0,
    "ratio_refund_customers_paid_customers_n" BIGINT NOT NULL DEFAULT 0,
    "ratio_refund_customers_paid_customers_d" BIGINT NOT NULL DEFAULT 0,
    "ratio_refund_customers_paid_customers_r" INTEGER NOT NULL DEFAULT 0,
    "ratio_resolved_cases_n" BIGINT NOT NULL DEFAULT 0,
    "ratio_resolved_cases_d" BIGINT NOT NULL DEFAULT 0,
    "ratio_resolved_cases_r" INTEGER NOT NULL DEFAULT 0,
    "weighted_service_score_receptions_n" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "weighted_service_score_receptions_d" BIGINT NOT NULL DEFAULT 0,
    "weighted_service_score_receptions_r" INTEGER NOT NULL DEFAULT 0,
    "weighted_avg_response_sec_receptions_n" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "weighted_avg_response_sec_receptions_d" BIGINT NOT NULL DEFAULT 0,
    "weighted_avg_response_sec_receptions_r" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "metric_month_pkey" PRIMARY KEY ("month","member_id")
);

CREATE FUNCTION metric_month_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- whoever wrote the rows (an import, or a statement by hand), the months' cached results go stale
  IF TG_OP = 'INSERT' THEN
    INSERT INTO metric_month AS m (member_id, month, days, sum_inquiries, rows_inquiries, sum_paid_customers, rows_paid_customers, sum_receptions, rows_receptions, sum_gmv_fen, rows_gmv_fen, sum_refund_customers, rows_refund_customers, sum_cases, rows_cases, sum_resolved, rows_resolved, sum_service_score, rows_service_score, sum_avg_response_sec, rows_avg_response_sec, ratio_paid_customers_inquiries_n, ratio_paid_customers_inquiries_d, ratio_paid_customers_inquiries_r, ratio_gmv_fen_paid_customers_n, ratio_gmv_fen_paid_customers_d, ratio_gmv_fen_paid_customers_r, ratio_refund_customers_paid_customers_n, ratio_refund_customers_paid_customers_d, ratio_refund_customers_paid_customers_r, ratio_resolved_cases_n, ratio_resolved_cases_d, ratio_resolved_cases_r, weighted_service_score_receptions_n, weighted_service_score_receptions_d, weighted_service_score_receptions_r, weighted_avg_response_sec_receptions_n, weighted_avg_response_sec_receptions_d, weighted_avg_response_sec_receptions_r)
    SELECT x.member_id, to_char(x.day, 'YYYY-MM'), SUM(x.sg)::int, COALESCE(SUM(x.sg * COALESCE(x.inquiries::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.inquiries IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.paid_customers::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.paid_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.receptions::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.receptions IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.gmv_fen::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.gmv_fen IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.refund_customers::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.refund_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.cases::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.cases IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.resolved::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.resolved IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.service_score::numeric, 0)), 0),
      COALESCE(SUM(x.sg * (x.service_score IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.avg_response_sec::numeric, 0)), 0),
      COALESCE(SUM(x.sg * (x.avg_response_sec IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.paid_customers IS NOT NULL AND x.inquiries IS NOT NULL THEN x.paid_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.paid_customers IS NOT NULL AND x.inquiries IS NOT NULL THEN x.inquiries::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.paid_customers IS NOT NULL AND x.inquiries IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.gmv_fen IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.gmv_fen::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.gmv_fen IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.paid_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.gmv_fen IS NOT NULL AND x.paid_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.refund_customers IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.refund_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.refund_customers IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.paid_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.refund_customers IS NOT NULL AND x.paid_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.resolved IS NOT NULL AND x.cases IS NOT NULL THEN x.resolved::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.resolved IS NOT NULL AND x.cases IS NOT NULL THEN x.cases::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.resolved IS NOT NULL AND x.cases IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.service_score IS NOT NULL AND x.receptions IS NOT NULL THEN x.service_score::numeric * x.receptions::numeric ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.service_score IS NOT NULL AND x.receptions IS NOT NULL THEN x.receptions::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.service_score IS NOT NULL AND x.receptions IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.avg_response_sec IS NOT NULL AND x.receptions IS NOT NULL THEN x.avg_response_sec::numeric * x.receptions::numeric ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.avg_response_sec IS NOT NULL AND x.receptions IS NOT NULL THEN x.receptions::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.avg_response_sec IS NOT NULL AND x.receptions IS NOT NULL)::int), 0)
    FROM (SELECT 1 AS sg, * FROM new_rows) x
    GROUP BY 1, 2
    ON CONFLICT (member_id, month) DO UPDATE SET days = m.days + EXCLUDED.days,
      sum_inquiries = m.sum_inquiries + EXCLUDED.sum_inquiries,
      rows_inquiries = m.rows_inquiries + EXCLUDED.rows_inquiries,
      sum_paid_customers = m.sum_paid_customers + EXCLUDED.sum_paid_customers,
      rows_paid_customers = m.rows_paid_customers + EXCLUDED.rows_paid_customers,
      sum_receptions = m.sum_receptions + EXCLUDED.sum_receptions,
      rows_receptions = m.rows_receptions + EXCLUDED.rows_receptions,
      sum_gmv_fen = m.sum_gmv_fen + EXCLUDED.sum_gmv_fen,
      rows_gmv_fen = m.rows_gmv_fen + EXCLUDED.rows_gmv_fen,
      sum_refund_customers = m.sum_refund_customers + EXCLUDED.sum_refund_customers,
      rows_refund_customers = m.rows_refund_customers + EXCLUDED.rows_refund_customers,
      sum_cases = m.sum_cases + EXCLUDED.sum_cases,
      rows_cases = m.rows_cases + EXCLUDED.rows_cases,
      sum_resolved = m.sum_resolved + EXCLUDED.sum_resolved,
      rows_resolved = m.rows_resolved + EXCLUDED.rows_resolved,
      sum_service_score = m.sum_service_score + EXCLUDED.sum_service_score,
      rows_service_score = m.rows_service_score + EXCLUDED.rows_service_score,
      sum_avg_response_sec = m.sum_avg_response_sec + EXCLUDED.sum_avg_response_sec,
      rows_avg_response_sec = m.rows_avg_response_sec + EXCLUDED.rows_avg_response_sec,
      ratio_paid_customers_inquiries_n = m.ratio_paid_customers_inquiries_n + EXCLUDED.ratio_paid_customers_inquiries_n,
      ratio_paid_customers_inquiries_d = m.ratio_paid_customers_inquiries_d + EXCLUDED.ratio_paid_customers_inquiries_d,
      ratio_paid_customers_inquiries_r = m.ratio_paid_customers_inquiries_r + EXCLUDED.ratio_paid_customers_inquiries_r,
      ratio_gmv_fen_paid_customers_n = m.ratio_gmv_fen_paid_customers_n + EXCLUDED.ratio_gmv_fen_paid_customers_n,
      ratio_gmv_fen_paid_customers_d = m.ratio_gmv_fen_paid_customers_d + EXCLUDED.ratio_gmv_fen_paid_customers_d,
      ratio_gmv_fen_paid_customers_r = m.ratio_gmv_fen_paid_customers_r + EXCLUDED.ratio_gmv_fen_paid_customers_r,
      ratio_refund_customers_paid_customers_n = m.ratio_refund_customers_paid_customers_n + EXCLUDED.ratio_refund_customers_paid_customers_n,
      ratio_refund_customers_paid_customers_d = m.ratio_refund_customers_paid_customers_d + EXCLUDED.ratio_refund_customers_paid_customers_d,
      ratio_refund_customers_paid_customers_r = m.ratio_refund_customers_paid_customers_r + EXCLUDED.ratio_refund_customers_paid_customers_r,
      ratio_resolved_cases_n = m.ratio_resolved_cases_n + EXCLUDED.ratio_resolved_cases_n,
      ratio_resolved_cases_d = m.ratio_resolved_cases_d + EXCLUDED.ratio_resolved_cases_d,
      ratio_resolved_cases_r = m.ratio_resolved_cases_r + EXCLUDED.ratio_resolved_cases_r,
      weighted_service_score_receptions_n = m.weighted_service_score_receptions_n + EXCLUDED.weighted_service_score_receptions_n,
      weighted_service_score_receptions_d = m.weighted_service_score_receptions_d + EXCLUDED.weighted_service_score_receptions_d,
      weighted_service_score_receptions_r = m.weighted_service_score_receptions_r + EXCLUDED.weighted_service_score_receptions_r,
      weighted_avg_response_sec_receptions_n = m.weighted_avg_response_sec_receptions_n + EXCLUDED.weighted_avg_response_sec_receptions_n,
      weighted_avg_response_sec_receptions_d = m.weighted_avg_response_sec_receptions_d + EXCLUDED.weighted_avg_response_sec_receptions_d,
      weighted_avg_response_sec_receptions_r = m.weighted_avg_response_sec_receptions_r + EXCLUDED.weighted_avg_response_sec_receptions_r;
    INSERT INTO month_version AS v (month, n)
    SELECT DISTINCT to_char(r.day, 'YYYY-MM'), 1 FROM (SELECT day FROM new_rows) r
    ON CONFLICT (month) DO UPDATE SET n = v.n + 1;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO metric_month AS m (member_id, month, days, sum_inquiries, rows_inquiries, sum_paid_customers, rows_paid_customers, sum_receptions, rows_receptions, sum_gmv_fen, rows_gmv_fen, sum_refund_customers, rows_refund_customers, sum_cases, rows_cases, sum_resolved, rows_resolved, sum_service_score, rows_service_score, sum_avg_response_sec, rows_avg_response_sec, ratio_paid_customers_inquiries_n, ratio_paid_customers_inquiries_d, ratio_paid_customers_inquiries_r, ratio_gmv_fen_paid_customers_n, ratio_gmv_fen_paid_customers_d, ratio_gmv_fen_paid_customers_r, ratio_refund_customers_paid_customers_n, ratio_refund_customers_paid_customers_d, ratio_refund_customers_paid_customers_r, ratio_resolved_cases_n, ratio_resolved_cases_d, ratio_resolved_cases_r, weighted_service_score_receptions_n, weighted_service_score_receptions_d, weighted_service_score_receptions_r, weighted_avg_response_sec_receptions_n, weighted_avg_response_sec_receptions_d, weighted_avg_response_sec_receptions_r)
    SELECT x.member_id, to_char(x.day, 'YYYY-MM'), SUM(x.sg)::int, COALESCE(SUM(x.sg * COALESCE(x.inquiries::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.inquiries IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.paid_customers::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.paid_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.receptions::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.receptions IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.gmv_fen::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.gmv_fen IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.refund_customers::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.refund_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.cases::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.cases IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.resolved::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.resolved IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.service_score::numeric, 0)), 0),
      COALESCE(SUM(x.sg * (x.service_score IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.avg_response_sec::numeric, 0)), 0),
      COALESCE(SUM(x.sg * (x.avg_response_sec IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.paid_customers IS NOT NULL AND x.inquiries IS NOT NULL THEN x.paid_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.paid_customers IS NOT NULL AND x.inquiries IS NOT NULL THEN x.inquiries::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.paid_customers IS NOT NULL AND x.inquiries IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.gmv_fen IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.gmv_fen::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.gmv_fen IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.paid_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.gmv_fen IS NOT NULL AND x.paid_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.refund_customers IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.refund_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.refund_customers IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.paid_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.refund_customers IS NOT NULL AND x.paid_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.resolved IS NOT NULL AND x.cases IS NOT NULL THEN x.resolved::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.resolved IS NOT NULL AND x.cases IS NOT NULL THEN x.cases::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.resolved IS NOT NULL AND x.cases IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.service_score IS NOT NULL AND x.receptions IS NOT NULL THEN x.service_score::numeric * x.receptions::numeric ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.service_score IS NOT NULL AND x.receptions IS NOT NULL THEN x.receptions::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.service_score IS NOT NULL AND x.receptions IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.avg_response_sec IS NOT NULL AND x.receptions IS NOT NULL THEN x.avg_response_sec::numeric * x.receptions::numeric ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.avg_response_sec IS NOT NULL AND x.receptions IS NOT NULL THEN x.receptions::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.avg_response_sec IS NOT NULL AND x.receptions IS NOT NULL)::int), 0)
    FROM (SELECT 1 AS sg, * FROM new_rows UNION ALL SELECT -1 AS sg, * FROM old_rows) x
    GROUP BY 1, 2
    ON CONFLICT (member_id, month) DO UPDATE SET days = m.days + EXCLUDED.days,
      sum_inquiries = m.sum_inquiries + EXCLUDED.sum_inquiries,
      rows_inquiries = m.rows_inquiries + EXCLUDED.rows_inquiries,
      sum_paid_customers = m.sum_paid_customers + EXCLUDED.sum_paid_customers,
      rows_paid_customers = m.rows_paid_customers + EXCLUDED.rows_paid_customers,
      sum_receptions = m.sum_receptions + EXCLUDED.sum_receptions,
      rows_receptions = m.rows_receptions + EXCLUDED.rows_receptions,
      sum_gmv_fen = m.sum_gmv_fen + EXCLUDED.sum_gmv_fen,
      rows_gmv_fen = m.rows_gmv_fen + EXCLUDED.rows_gmv_fen,
      sum_refund_customers = m.sum_refund_customers + EXCLUDED.sum_refund_customers,
      rows_refund_customers = m.rows_refund_customers + EXCLUDED.rows_refund_customers,
      sum_cases = m.sum_cases + EXCLUDED.sum_cases,
      rows_cases = m.rows_cases + EXCLUDED.rows_cases,
      sum_resolved = m.sum_resolved + EXCLUDED.sum_resolved,
      rows_resolved = m.rows_resolved + EXCLUDED.rows_resolved,
      sum_service_score = m.sum_service_score + EXCLUDED.sum_service_score,
      rows_service_score = m.rows_service_score + EXCLUDED.rows_service_score,
      sum_avg_response_sec = m.sum_avg_response_sec + EXCLUDED.sum_avg_response_sec,
      rows_avg_response_sec = m.rows_avg_response_sec + EXCLUDED.rows_avg_response_sec,
      ratio_paid_customers_inquiries_n = m.ratio_paid_customers_inquiries_n + EXCLUDED.ratio_paid_customers_inquiries_n,
      ratio_paid_customers_inquiries_d = m.ratio_paid_customers_inquiries_d + EXCLUDED.ratio_paid_customers_inquiries_d,
      ratio_paid_customers_inquiries_r = m.ratio_paid_customers_inquiries_r + EXCLUDED.ratio_paid_customers_inquiries_r,
      ratio_gmv_fen_paid_customers_n = m.ratio_gmv_fen_paid_customers_n + EXCLUDED.ratio_gmv_fen_paid_customers_n,
      ratio_gmv_fen_paid_customers_d = m.ratio_gmv_fen_paid_customers_d + EXCLUDED.ratio_gmv_fen_paid_customers_d,
      ratio_gmv_fen_paid_customers_r = m.ratio_gmv_fen_paid_customers_r + EXCLUDED.ratio_gmv_fen_paid_customers_r,
      ratio_refund_customers_paid_customers_n = m.ratio_refund_customers_paid_customers_n + EXCLUDED.ratio_refund_customers_paid_customers_n,
      ratio_refund_customers_paid_customers_d = m.ratio_refund_customers_paid_customers_d + EXCLUDED.ratio_refund_customers_paid_customers_d,
      ratio_refund_customers_paid_customers_r = m.ratio_refund_customers_paid_customers_r + EXCLUDED.ratio_refund_customers_paid_customers_r,
      ratio_resolved_cases_n = m.ratio_resolved_cases_n + EXCLUDED.ratio_resolved_cases_n,
      ratio_resolved_cases_d = m.ratio_resolved_cases_d + EXCLUDED.ratio_resolved_cases_d,
      ratio_resolved_cases_r = m.ratio_resolved_cases_r + EXCLUDED.ratio_resolved_cases_r,
      weighted_service_score_receptions_n = m.weighted_service_score_receptions_n + EXCLUDED.weighted_service_score_receptions_n,
      weighted_service_score_receptions_d = m.weighted_service_score_receptions_d + EXCLUDED.weighted_service_score_receptions_d,
      weighted_service_score_receptions_r = m.weighted_service_score_receptions_r + EXCLUDED.weighted_service_score_receptions_r,
      weighted_avg_response_sec_receptions_n = m.weighted_avg_response_sec_receptions_n + EXCLUDED.weighted_avg_response_sec_receptions_n,
      weighted_avg_response_sec_receptions_d = m.weighted_avg_response_sec_receptions_d + EXCLUDED.weighted_avg_response_sec_receptions_d,
      weighted_avg_response_sec_receptions_r = m.weighted_avg_response_sec_receptions_r + EXCLUDED.weighted_avg_response_sec_receptions_r;
    INSERT INTO month_version AS v (month, n)
    SELECT DISTINCT to_char(r.day, 'YYYY-MM'), 1 FROM (SELECT day FROM new_rows UNION ALL SELECT day FROM old_rows) r
    ON CONFLICT (month) DO UPDATE SET n = v.n + 1;
  ELSE
    INSERT INTO metric_month AS m (member_id, month, days, sum_inquiries, rows_inquiries, sum_paid_customers, rows_paid_customers, sum_receptions, rows_receptions, sum_gmv_fen, rows_gmv_fen, sum_refund_customers, rows_refund_customers, sum_cases, rows_cases, sum_resolved, rows_resolved, sum_service_score, rows_service_score, sum_avg_response_sec, rows_avg_response_sec, ratio_paid_customers_inquiries_n, ratio_paid_customers_inquiries_d, ratio_paid_customers_inquiries_r, ratio_gmv_fen_paid_customers_n, ratio_gmv_fen_paid_customers_d, ratio_gmv_fen_paid_customers_r, ratio_refund_customers_paid_customers_n, ratio_refund_customers_paid_customers_d, ratio_refund_customers_paid_customers_r, ratio_resolved_cases_n, ratio_resolved_cases_d, ratio_resolved_cases_r, weighted_service_score_receptions_n, weighted_service_score_receptions_d, weighted_service_score_receptions_r, weighted_avg_response_sec_receptions_n, weighted_avg_response_sec_receptions_d, weighted_avg_response_sec_receptions_r)
    SELECT x.member_id, to_char(x.day, 'YYYY-MM'), SUM(x.sg)::int, COALESCE(SUM(x.sg * COALESCE(x.inquiries::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.inquiries IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.paid_customers::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.paid_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.receptions::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.receptions IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.gmv_fen::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.gmv_fen IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.refund_customers::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.refund_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.cases::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.cases IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.resolved::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.resolved IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.service_score::numeric, 0)), 0),
      COALESCE(SUM(x.sg * (x.service_score IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.avg_response_sec::numeric, 0)), 0),
      COALESCE(SUM(x.sg * (x.avg_response_sec IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.paid_customers IS NOT NULL AND x.inquiries IS NOT NULL THEN x.paid_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.paid_customers IS NOT NULL AND x.inquiries IS NOT NULL THEN x.inquiries::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.paid_customers IS NOT NULL AND x.inquiries IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.gmv_fen IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.gmv_fen::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.gmv_fen IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.paid_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.gmv_fen IS NOT NULL AND x.paid_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.refund_customers IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.refund_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.refund_customers IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.paid_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.refund_customers IS NOT NULL AND x.paid_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.resolved IS NOT NULL AND x.cases IS NOT NULL THEN x.resolved::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.resolved IS NOT NULL AND x.cases IS NOT NULL THEN x.cases::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.resolved IS NOT NULL AND x.cases IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.service_score IS NOT NULL AND x.receptions IS NOT NULL THEN x.service_score::numeric * x.receptions::numeric ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.service_score IS NOT NULL AND x.receptions IS NOT NULL THEN x.receptions::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.service_score IS NOT NULL AND x.receptions IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.avg_response_sec IS NOT NULL AND x.receptions IS NOT NULL THEN x.avg_response_sec::numeric * x.receptions::numeric ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.avg_response_sec IS NOT NULL AND x.receptions IS NOT NULL THEN x.receptions::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.avg_response_sec IS NOT NULL AND x.receptions IS NOT NULL)::int), 0)
    FROM (SELECT -1 AS sg, * FROM old_rows) x
    GROUP BY 1, 2
    ON CONFLICT (member_id, month) DO UPDATE SET days = m.days + EXCLUDED.days,
      sum_inquiries = m.sum_inquiries + EXCLUDED.sum_inquiries,
      rows_inquiries = m.rows_inquiries + EXCLUDED.rows_inquiries,
      sum_paid_customers = m.sum_paid_customers + EXCLUDED.sum_paid_customers,
      rows_paid_customers = m.rows_paid_customers + EXCLUDED.rows_paid_customers,
      sum_receptions = m.sum_receptions + EXCLUDED.sum_receptions,
      rows_receptions = m.rows_receptions + EXCLUDED.rows_receptions,
      sum_gmv_fen = m.sum_gmv_fen + EXCLUDED.sum_gmv_fen,
      rows_gmv_fen = m.rows_gmv_fen + EXCLUDED.rows_gmv_fen,
      sum_refund_customers = m.sum_refund_customers + EXCLUDED.sum_refund_customers,
      rows_refund_customers = m.rows_refund_customers + EXCLUDED.rows_refund_customers,
      sum_cases = m.sum_cases + EXCLUDED.sum_cases,
      rows_cases = m.rows_cases + EXCLUDED.rows_cases,
      sum_resolved = m.sum_resolved + EXCLUDED.sum_resolved,
      rows_resolved = m.rows_resolved + EXCLUDED.rows_resolved,
      sum_service_score = m.sum_service_score + EXCLUDED.sum_service_score,
      rows_service_score = m.rows_service_score + EXCLUDED.rows_service_score,
      sum_avg_response_sec = m.sum_avg_response_sec + EXCLUDED.sum_avg_response_sec,
      rows_avg_response_sec = m.rows_avg_response_sec + EXCLUDED.rows_avg_response_sec,
      ratio_paid_customers_inquiries_n = m.ratio_paid_customers_inquiries_n + EXCLUDED.ratio_paid_customers_inquiries_n,
      ratio_paid_customers_inquiries_d = m.ratio_paid_customers_inquiries_d + EXCLUDED.ratio_paid_customers_inquiries_d,
      ratio_paid_customers_inquiries_r = m.ratio_paid_customers_inquiries_r + EXCLUDED.ratio_paid_customers_inquiries_r,
      ratio_gmv_fen_paid_customers_n = m.ratio_gmv_fen_paid_customers_n + EXCLUDED.ratio_gmv_fen_paid_customers_n,
      ratio_gmv_fen_paid_customers_d = m.ratio_gmv_fen_paid_customers_d + EXCLUDED.ratio_gmv_fen_paid_customers_d,
      ratio_gmv_fen_paid_customers_r = m.ratio_gmv_fen_paid_customers_r + EXCLUDED.ratio_gmv_fen_paid_customers_r,
      ratio_refund_customers_paid_customers_n = m.ratio_refund_customers_paid_customers_n + EXCLUDED.ratio_refund_customers_paid_customers_n,
      ratio_refund_customers_paid_customers_d = m.ratio_refund_customers_paid_customers_d + EXCLUDED.ratio_refund_customers_paid_customers_d,
      ratio_refund_customers_paid_customers_r = m.ratio_refund_customers_paid_customers_r + EXCLUDED.ratio_refund_customers_paid_customers_r,
      ratio_resolved_cases_n = m.ratio_resolved_cases_n + EXCLUDED.ratio_resolved_cases_n,
      ratio_resolved_cases_d = m.ratio_resolved_cases_d + EXCLUDED.ratio_resolved_cases_d,
      ratio_resolved_cases_r = m.ratio_resolved_cases_r + EXCLUDED.ratio_resolved_cases_r,
      weighted_service_score_receptions_n = m.weighted_service_score_receptions_n + EXCLUDED.weighted_service_score_receptions_n,
      weighted_service_score_receptions_d = m.weighted_service_score_receptions_d + EXCLUDED.weighted_service_score_receptions_d,
      weighted_service_score_receptions_r = m.weighted_service_score_receptions_r + EXCLUDED.weighted_service_score_receptions_r,
      weighted_avg_response_sec_receptions_n = m.weighted_avg_response_sec_receptions_n + EXCLUDED.weighted_avg_response_sec_receptions_n,
      weighted_avg_response_sec_receptions_d = m.weighted_avg_response_sec_receptions_d + EXCLUDED.weighted_avg_response_sec_receptions_d,
      weighted_avg_response_sec_receptions_r = m.weighted_avg_response_sec_receptions_r + EXCLUDED.weighted_avg_response_sec_receptions_r;
    INSERT INTO month_version AS v (month, n)
    SELECT DISTINCT to_char(r.day, 'YYYY-MM'), 1 FROM (SELECT day FROM old_rows) r
    ON CONFLICT (month) DO UPDATE SET n = v.n + 1;
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER metric_month_insert AFTER INSERT ON daily_metric
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION metric_month_apply();
CREATE TRIGGER metric_month_update AFTER UPDATE ON daily_metric
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION metric_month_apply();
CREATE TRIGGER metric_month_delete AFTER DELETE ON daily_metric
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION metric_month_apply();

-- a penalty written in any way makes its months' results stale; a member changes every month's
CREATE FUNCTION penalty_month_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO month_version AS v (month, n)
    SELECT DISTINCT to_char(r.occurred_on, 'YYYY-MM'), 1 FROM (SELECT occurred_on FROM new_rows) r
    ON CONFLICT (month) DO UPDATE SET n = v.n + 1;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO month_version AS v (month, n)
    SELECT DISTINCT to_char(r.occurred_on, 'YYYY-MM'), 1 FROM (SELECT occurred_on FROM new_rows UNION ALL SELECT occurred_on FROM old_rows) r
    ON CONFLICT (month) DO UPDATE SET n = v.n + 1;
  ELSE
    INSERT INTO month_version AS v (month, n)
    SELECT DISTINCT to_char(r.occurred_on, 'YYYY-MM'), 1 FROM (SELECT occurred_on FROM old_rows) r
    ON CONFLICT (month) DO UPDATE SET n = v.n + 1;
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER penalty_month_insert AFTER INSERT ON penalty
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION penalty_month_bump();
CREATE TRIGGER penalty_month_update AFTER UPDATE ON penalty
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION penalty_month_bump();
CREATE TRIGGER penalty_month_delete AFTER DELETE ON penalty
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION penalty_month_bump();

CREATE FUNCTION member_month_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO month_version AS v (month, n) VALUES ('0000-00', 1) ON CONFLICT (month) DO UPDATE SET n = v.n + 1;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER member_month_bump AFTER INSERT OR UPDATE OR DELETE ON member
  FOR EACH STATEMENT EXECUTE FUNCTION member_month_bump();

-- an existing database: the sums of what is already imported
INSERT INTO metric_month AS m (member_id, month, days, sum_inquiries, rows_inquiries, sum_paid_customers, rows_paid_customers, sum_receptions, rows_receptions, sum_gmv_fen, rows_gmv_fen, sum_refund_customers, rows_refund_customers, sum_cases, rows_cases, sum_resolved, rows_resolved, sum_service_score, rows_service_score, sum_avg_response_sec, rows_avg_response_sec, ratio_paid_customers_inquiries_n, ratio_paid_customers_inquiries_d, ratio_paid_customers_inquiries_r, ratio_gmv_fen_paid_customers_n, ratio_gmv_fen_paid_customers_d, ratio_gmv_fen_paid_customers_r, ratio_refund_customers_paid_customers_n, ratio_refund_customers_paid_customers_d, ratio_refund_customers_paid_customers_r, ratio_resolved_cases_n, ratio_resolved_cases_d, ratio_resolved_cases_r, weighted_service_score_receptions_n, weighted_service_score_receptions_d, weighted_service_score_receptions_r, weighted_avg_response_sec_receptions_n, weighted_avg_response_sec_receptions_d, weighted_avg_response_sec_receptions_r)
    SELECT x.member_id, to_char(x.day, 'YYYY-MM'), SUM(x.sg)::int, COALESCE(SUM(x.sg * COALESCE(x.inquiries::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.inquiries IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.paid_customers::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.paid_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.receptions::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.receptions IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.gmv_fen::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.gmv_fen IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.refund_customers::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.refund_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.cases::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.cases IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.resolved::bigint, 0)), 0),
      COALESCE(SUM(x.sg * (x.resolved IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.service_score::numeric, 0)), 0),
      COALESCE(SUM(x.sg * (x.service_score IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * COALESCE(x.avg_response_sec::numeric, 0)), 0),
      COALESCE(SUM(x.sg * (x.avg_response_sec IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.paid_customers IS NOT NULL AND x.inquiries IS NOT NULL THEN x.paid_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.paid_customers IS NOT NULL AND x.inquiries IS NOT NULL THEN x.inquiries::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.paid_customers IS NOT NULL AND x.inquiries IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.gmv_fen IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.gmv_fen::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.gmv_fen IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.paid_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.gmv_fen IS NOT NULL AND x.paid_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.refund_customers IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.refund_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.refund_customers IS NOT NULL AND x.paid_customers IS NOT NULL THEN x.paid_customers::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.refund_customers IS NOT NULL AND x.paid_customers IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.resolved IS NOT NULL AND x.cases IS NOT NULL THEN x.resolved::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.resolved IS NOT NULL AND x.cases IS NOT NULL THEN x.cases::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.resolved IS NOT NULL AND x.cases IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.service_score IS NOT NULL AND x.receptions IS NOT NULL THEN x.service_score::numeric * x.receptions::numeric ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.service_score IS NOT NULL AND x.receptions IS NOT NULL THEN x.receptions::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.service_score IS NOT NULL AND x.receptions IS NOT NULL)::int), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.avg_response_sec IS NOT NULL AND x.receptions IS NOT NULL THEN x.avg_response_sec::numeric * x.receptions::numeric ELSE 0 END), 0),
      COALESCE(SUM(x.sg * CASE WHEN x.avg_response_sec IS NOT NULL AND x.receptions IS NOT NULL THEN x.receptions::bigint ELSE 0 END), 0),
      COALESCE(SUM(x.sg * (x.avg_response_sec IS NOT NULL AND x.receptions IS NOT NULL)::int), 0)
    FROM (SELECT 1 AS sg, * FROM daily_metric) x
    GROUP BY 1, 2
    ;

