-- 50 orders with deterministic values, so tests and the report can check totals.
INSERT INTO orders (id, customer, product, amount, status)
SELECT X,
	'customer-' || ((X - 1) % 12 + 1),
	CASE MOD(X, 4) WHEN 0 THEN 'kettle' WHEN 1 THEN 'teapot' WHEN 2 THEN 'mug' ELSE 'tea tin' END,
	CAST(10 + MOD(X * 37, 90) AS DECIMAL(10, 2)) + 0.50,
	CASE MOD(X, 3) WHEN 0 THEN 'SHIPPED' WHEN 1 THEN 'NEW' ELSE 'PAID' END
FROM SYSTEM_RANGE(1, 50);
