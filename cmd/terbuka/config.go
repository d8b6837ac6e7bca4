package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/store"
)

// newFlagSet returns the flag set of a command; its flags take their
// defaults from env, so TERBUKA_* variables apply unless a flag is given.
func newFlagSet(name string) *flag.FlagSet {
	return flag.NewFlagSet("terbuka "+name, flag.ContinueOnError)
}

// env returns TERBUKA_<NAME> for a flag name, or def. It only makes a text
// flag's default read well in --help; parseFlags is what applies, and
// checks, the environment for every flag.
func env(flagName, def string) string {
	if v, ok := os.LookupEnv(envKey(flagName)); ok {
		return v
	}
	return def
}

// envKey is the environment variable of a flag: --s3-tls is TERBUKA_S3_TLS.
func envKey(flagName string) string {
	return "TERBUKA_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseFlags parses the command line, then sets every flag it did not give
// from TERBUKA_<FLAG> when that is set, through the flag's own parser. A
// value that does not parse is refused with a message naming the variable,
// never replaced by the default; a yes/no flag takes only true or false.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return flagErr(err)
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var bad []string
	fs.VisitAll(func(f *flag.Flag) {
		key := envKey(f.Name)
		v, ok := os.LookupEnv(key)
		if !ok || given[f.Name] {
			return
		}
		if b, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool && b.IsBoolFlag() && v != "true" && v != "false" {
			bad = append(bad, fmt.Sprintf("%s=%q: must be true or false (for --%s)", key, v, f.Name))
			return
		}
		if err := f.Value.Set(v); err != nil {
			bad = append(bad, fmt.Sprintf("%s=%q: %v (for --%s)", key, v, err, f.Name))
		}
	})
	if len(bad) > 0 {
		fmt.Fprintf(os.Stderr, "%s: refused: %s\n", fs.Name(), strings.Join(bad, "; "))
		return exitError{2}
	}
	return nil
}

// mustBe refuses a flag value that breaks a rule, naming the flag and its
// environment variable.
func mustBe(ok bool, fs *flag.FlagSet, name, rule string) error {
	if ok {
		return nil
	}
	fmt.Fprintf(os.Stderr, "%s: refused: --%s (%s) = %s: %s\n", fs.Name(), name, envKey(name), fs.Lookup(name).Value, rule)
	return exitError{2}
}

// storageFlags select the object store: a local directory, or S3 when an
// endpoint and bucket are given.
type storageFlags struct {
	data     string
	s3       store.S3Config
	index    string
	temp     string
	logLevel string
}

func (sf *storageFlags) register(fs *flag.FlagSet, defaultData string) {
	fs.StringVar(&sf.data, "data", env("data", defaultData), "local storage directory (the embedded default)")
	fs.StringVar(&sf.s3.Endpoint, "s3-endpoint", env("s3-endpoint", ""), "S3 endpoint host:port; enables S3 storage")
	fs.StringVar(&sf.s3.Bucket, "s3-bucket", env("s3-bucket", ""), "S3 bucket")
	fs.StringVar(&sf.s3.AccessKey, "s3-access-key", env("s3-access-key", ""), "S3 access key")
	fs.StringVar(&sf.s3.SecretKey, "s3-secret-key", env("s3-secret-key", ""), "S3 secret key")
	fs.StringVar(&sf.s3.Region, "s3-region", env("s3-region", "us-east-1"), "S3 region")
	fs.BoolVar(&sf.s3.UseTLS, "s3-tls", false, "use HTTPS for S3")
	fs.StringVar(&sf.index, "index", env("index", ""), "search index directory (default: DATA/.index, or a cache directory on S3)")
	fs.StringVar(&sf.temp, "temp-dir", env("temp_dir", ""), "where temporary files go, in a directory of this process's own (default: the system's)")
	fs.StringVar(&sf.logLevel, "log-level", env("log-level", "info"), "debug, info, warn or error")
}

// workDir makes this process's directory for temporary files, removing
// those of processes that died; call done when finished.
func (sf *storageFlags) workDir(log *slog.Logger) (dir string, done func(), err error) {
	dir, done, err = pipeline.WorkDir(sf.temp)
	if err != nil {
		return "", nil, err
	}
	log.Debug("work directory", "dir", dir)
	return dir, done, nil
}

// open returns the configured store and the index directory, and logs the
// configuration with secrets redacted.
func (sf *storageFlags) open(ctx context.Context) (store.Store, string, *slog.Logger, error) {
	log := newLogger(sf.logLevel)
	var st store.Store
	var err error
	if sf.s3.Endpoint != "" {
		if sf.s3.Bucket == "" {
			return nil, "", nil, fmt.Errorf("--s3-bucket (TERBUKA_S3_BUCKET) is required with an S3 endpoint")
		}
		st, err = store.OpenS3(ctx, sf.s3)
	} else {
		st, err = store.OpenDir(sf.data)
	}
	if err != nil {
		return nil, "", nil, fmt.Errorf("open storage: %w", err)
	}
	index := sf.index
	if index == "" {
		index = sf.defaultIndex()
	}
	log.Info("storage", "store", st.String(), "index", index)
	return st, index, log, nil
}

func (sf *storageFlags) defaultIndex() string {
	if sf.s3.Endpoint == "" {
		return filepath.Join(sf.data, ".index")
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	h := sha256.Sum256([]byte(sf.s3.Endpoint + "/" + sf.s3.Bucket))
	return filepath.Join(dir, "terbuka", "index-"+hex.EncodeToString(h[:6]))
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
	slog.SetDefault(log)
	return log
}
