-- Accounts: customers sign up; owners are created by an operator and bound
-- to one store.  E-mail is stored lower-cased by the domain.
CREATE TABLE accounts (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	email		VARCHAR(254) NOT NULL,
	password_hash	VARCHAR(128) NOT NULL,
	name		VARCHAR(60) NOT NULL,
	phone		VARCHAR(20) NOT NULL,
	address		VARCHAR(200) NOT NULL,
	role		ENUM('customer', 'owner') NOT NULL,
	store_id	BIGINT UNSIGNED NULL,
	created_at	TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY accounts_email (email),
	CHECK ((role = 'owner') = (store_id IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
