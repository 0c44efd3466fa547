-- 2. The 20 counties with the highest denial rate in 2022, among those with at least 20 applications.
SELECT province, city, county, received, denied, div6(denied, received) AS denial_rate
FROM (
  SELECT province, city, county, sum(new_received) AS received, sum(denied_total) AS denied
  FROM applications
  WHERE year = 2022 AND applicant = 'total' AND county IS NOT NULL
  GROUP BY province, city, county
)
WHERE received >= 20
ORDER BY denial_rate DESC NULLS LAST, province NULLS LAST, city NULLS LAST, county NULLS LAST
LIMIT 20
