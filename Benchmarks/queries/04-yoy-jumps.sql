-- 4. Year-over-year change of applications received per agency (window lag): the 10 largest jumps.
SELECT agency, year, received, prev, received - prev AS jump
FROM (
  SELECT agency, year, received, lag(received) OVER (PARTITION BY agency ORDER BY year) AS prev
  FROM (
    SELECT agency, year, sum(new_received) AS received
    FROM applications
    WHERE applicant = 'total'
    GROUP BY agency, year
  )
)
WHERE prev IS NOT NULL
ORDER BY jump DESC NULLS LAST, agency NULLS LAST, year NULLS LAST
LIMIT 10
