-- Call Me Back requests (and answers) the latest run ($1) added: one join
-- of its event ids (a night's worth) against cmb_requests.
SELECT count(*) AS requests,
       count(*) FILTER (WHERE is_interested) AS interested,
       count(*) FILTER (WHERE is_interested IS NOT NULL) AS answered
FROM cmb_requests c
SEMI JOIN (SELECT event_id FROM events WHERE run_id = $1) latest USING (event_id);
