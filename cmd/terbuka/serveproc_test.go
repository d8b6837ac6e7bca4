package main

import "testing"

// startServeBound is startServeLogged for the fault tests, with extra
// arguments to serve, and a server that is killed with the test binary
// should that itself be killed (a timeout, an interrupt), since those
// tests wait long on purpose. When the test ends the server gets SIGTERM
// and must stop cleanly.
func startServeBound(t *testing.T, env []string, args ...string) (string, *serveLog) {
	t.Helper()
	_, url, log := startServeCmd(t, env, args...)
	return url, log
}
