-- Distinct business numbers, to infer the reports' zone from their
-- country calling codes.
SELECT DISTINCT business_number
FROM cmb_requests
WHERE business_number IS NOT NULL
LIMIT 10000;
