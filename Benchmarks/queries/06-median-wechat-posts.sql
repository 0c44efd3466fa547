-- 6. Reports joined with media_output: median WeChat posts by province.
SELECT r.province, count(*) AS reports, median(m.posts) AS median_posts
FROM reports r
JOIN (
  SELECT report_id, sum(value) AS posts
  FROM media_output
  WHERE channel = 'wechat' AND metric = 'posts'
  GROUP BY report_id
) m ON m.report_id = r.report_id
GROUP BY r.province
ORDER BY r.province NULLS LAST
