-- 7. Pivot: applicant mix per year, one column per applicant type.
SELECT year,
       sum(new_received) FILTER (WHERE applicant = 'natural_person') AS natural_person,
       sum(new_received) FILTER (WHERE applicant = 'commercial') AS commercial,
       sum(new_received) FILTER (WHERE applicant = 'research') AS research,
       sum(new_received) FILTER (WHERE applicant = 'social_welfare') AS social_welfare,
       sum(new_received) FILTER (WHERE applicant = 'legal_services') AS legal_services,
       sum(new_received) FILTER (WHERE applicant = 'other_org') AS other_org
FROM applications
WHERE applicant <> 'total'
GROUP BY year
ORDER BY year NULLS LAST
