-- 1. Applications received per province per year.
SELECT province, year, sum(new_received) AS received
FROM applications
WHERE applicant = 'total'
GROUP BY province, year
ORDER BY province NULLS LAST, year NULLS LAST
