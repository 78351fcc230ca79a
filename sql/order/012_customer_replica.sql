-- The customer replica: each customer's profile as auth's events
-- (CustomerRegistered, CustomerProfileChanged) last said it, so an order
-- that gives no address or phone takes the profile's without asking auth,
-- also while auth is down.  version is the event's profileVersion: an
-- event applies only if it is newer than the row (never backwards), so a
-- late older event cannot overwrite a newer profile.
CREATE TABLE customer_replica (
	customer_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	name		VARCHAR(60) NOT NULL,
	phone		VARCHAR(20) NOT NULL,
	address		VARCHAR(200) NOT NULL,
	version		INT UNSIGNED NOT NULL,
	updated_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
			    ON UPDATE CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The address and phone of a customer's last order, the default of
-- earlier releases, written by none since: the replica replaces it.
DROP TABLE IF EXISTS customer_profiles;
