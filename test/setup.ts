// Runs before every test file: a fixed time zone so date arithmetic behaves as in production.
process.env.TZ = 'Europe/London';
