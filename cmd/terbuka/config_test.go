package main

import (
	"strings"
	"testing"
)

// TestCLIRefusesBadConfig: a value that does not parse, in a flag or its
// environment variable, is refused with a message naming it, never
// replaced by the default (TERBUKA_S3_TLS=1 used to mean plain HTTP).
func TestCLIRefusesBadConfig(t *testing.T) {
	data := "TERBUKA_DATA=" + t.TempDir()
	for _, tc := range []struct {
		env  []string
		args []string
		want string
	}{
		{[]string{data, "TERBUKA_S3_TLS=1"}, []string{"serve"}, `TERBUKA_S3_TLS="1": must be true or false`},
		{[]string{data, "TERBUKA_POLL=abc"}, []string{"serve"}, `TERBUKA_POLL="abc"`},
		{[]string{data, "TERBUKA_POLL=-5s"}, []string{"serve"}, `--poll (TERBUKA_POLL) = -5s: must be longer than 0`},
		{[]string{data, "TERBUKA_MAX_FEED_BYTES=lots"}, []string{"serve"}, `TERBUKA_MAX_FEED_BYTES="lots"`},
		{[]string{data}, []string{"prune", "--keep-releases", "-1"}, `--keep-releases (TERBUKA_KEEP_RELEASES) = -1: must be 0 or more`},
		{[]string{data, "TERBUKA_KEEP_DAYS=ten"}, []string{"prune"}, `TERBUKA_KEEP_DAYS="ten"`},
		{[]string{data, "TERBUKA_PUBLIC_URL=terbuka.example.go.id"}, []string{"serve"}, `--public-url (TERBUKA_PUBLIC_URL) = terbuka.example.go.id: must be an http(s) address`},
		{[]string{data}, []string{"serve", "--public-url", "https://terbuka.example.go.id/portal"}, `must be an http(s) address with a host and no path`},
		{[]string{data, "TERBUKA_TRUSTED_PROXIES=10.0.0.0/8,proxy.local"}, []string{"serve"}, `TERBUKA_TRUSTED_PROXIES="10.0.0.0/8,proxy.local": "proxy.local" is neither an address nor a CIDR range`},
		{[]string{data, "TERBUKA_MAX_CONNS=0"}, []string{"serve"}, `--max-conns (TERBUKA_MAX_CONNS) = 0: must be more than 0`},
		{[]string{data, "TERBUKA_METRICS_ADDR=9100"}, []string{"serve"}, `--metrics-addr (TERBUKA_METRICS_ADDR) = 9100: must be host:port`},
		{[]string{data}, []string{"serve", "--metrics-addr", "localhost:metrics"}, `--metrics-addr (TERBUKA_METRICS_ADDR) = localhost:metrics: must be host:port`},
		{[]string{data, "TERBUKA_SEARCH_CACHE_MB=-1"}, []string{"serve"}, `--search-cache-mb (TERBUKA_SEARCH_CACHE_MB) = -1: must be 0 (no cache) to 1048576`},
		{[]string{data}, []string{"serve", "--search-cache-mb", "64M"}, `invalid value "64M" for flag -search-cache-mb`},
		{[]string{data, "TERBUKA_CONTACT=bpkad at bandung"}, []string{"serve"}, `--contact (TERBUKA_CONTACT) = bpkad at bandung: "bpkad at bandung" is not an e-mail address`},
		{[]string{data}, []string{"serve", "--contact", "ftp://example.go.id/"}, `--contact (TERBUKA_CONTACT) = ftp://example.go.id/: must be an e-mail address`},
	} {
		code, out := terbuka(t, tc.env, tc.args...)
		if code != 2 || !strings.Contains(out, tc.want) {
			t.Errorf("%v %v: exit %d, want 2 and %q:\n%s", tc.env[1:], tc.args, code, tc.want, out)
		}
	}
}
