-- 3. Outcome distribution (granted, partial, denied, unable, not processed, other) by agency level.
SELECT level, granted, partial, denied, unable, not_processed, other, processed,
       div6(granted, processed) AS granted_share, div6(partial, processed) AS partial_share,
       div6(denied, processed) AS denied_share, div6(unable, processed) AS unable_share,
       div6(not_processed, processed) AS not_processed_share, div6(other, processed) AS other_share
FROM (
  SELECT level,
         sum(granted) AS granted, sum(partially_granted) AS partial, sum(denied_total) AS denied,
         sum(unable_total) AS unable, sum(not_processed_total) AS not_processed, sum(other_total) AS other,
         sum(total_processed) AS processed
  FROM applications
  WHERE applicant = 'total'
  GROUP BY level
)
ORDER BY level NULLS LAST
