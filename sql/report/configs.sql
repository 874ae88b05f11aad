-- Every configuration name, in order of first appearance (then name): a
-- configuration added later takes the next colour and the others keep
-- theirs.
SELECT cmb_config_name
FROM cmb_requests
WHERE cmb_config_name IS NOT NULL
GROUP BY cmb_config_name
ORDER BY min(coalesce(requested_at, created_at)) NULLS LAST, cmb_config_name;
