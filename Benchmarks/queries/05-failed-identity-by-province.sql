-- 5. Reports with a failed identity, counted by province.
SELECT province, count(*) AS reports
FROM reports
WHERE failed_checks > 0
GROUP BY province
ORDER BY reports DESC NULLS LAST, province NULLS LAST
