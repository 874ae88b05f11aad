SELECT coalesce(cmb_config_name, '(none)') AS cmb_config_name,
       count(*) AS requests,
       count_if(is_interested) AS interested,
       count_if(NOT is_interested) AS not_interested,
       count_if(is_interested IS NULL) AS unknown,
       count_if(is_interested) / (count_if(is_interested) + count_if(NOT is_interested)) AS interest_rate
FROM cmb_requests
GROUP BY coalesce(cmb_config_name, '(none)')
ORDER BY interest_rate DESC, cmb_config_name
