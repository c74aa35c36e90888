-- Demo source database: a change table that the demo writer route fills with sample orders.
CREATE TABLE IF NOT EXISTS demo_changes (
  id         BIGINT AUTO_INCREMENT PRIMARY KEY,
  customer   VARCHAR(100) NOT NULL,
  amount     DECIMAL(12, 2) NOT NULL,
  changed_at TIMESTAMP DEFAULT LOCALTIMESTAMP NOT NULL
);
