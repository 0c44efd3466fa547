-- 8. Agencies whose name contains 统计局: how many, and their applications in total.
SELECT count(DISTINCT agency) AS agencies, count(*) AS reports, sum(new_received) AS applications
FROM applications
WHERE applicant = 'total' AND contains(agency, '统计局')
