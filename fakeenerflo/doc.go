// Package fakeenerflo is a fake Enerflo POST /api/v1/users for demos,
// training and tests: it enforces the contract of SPEC §2 against a seeded
// demo solar org and answers as Enerflo does, Laravel-style 400 field
// errors, 401, the rate limit's HTML 429 and all, so the wizard and the
// client can be exercised without credentials and without touching a real org.
// PUT /api/v3/users (update.go) changes and deactivates its users.
//
// It is an http.Handler (New) that holds everything in memory; Listen serves
// it on a port and WriteBanner prints what an operator needs to use it.
package fakeenerflo
