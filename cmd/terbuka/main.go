// Command terbuka is the one binary of Terbuka: it generates demo feeds,
// ingests and publishes feeds, and serves the portal.
//
//	terbuka generate --out DIR [--regions N] [--years 2023,2024] [--seed S]
//	terbuka run      [--data DIR | S3 flags] [--no-index] [--dataset D --region R --year Y] FILE...
//	terbuka index    [--data DIR | S3 flags] [--index DIR] [--release ID]
//	terbuka serve    [--data DIR | S3 flags] [--addr HOST:PORT]
//	terbuka reindex  [--data DIR | S3 flags] [--index DIR]
//	terbuka demo     [--addr HOST:PORT] [--dir ./data]
//	terbuka token    create --region R [--name N] | list | revoke ID
//	terbuka validate --dataset D --region R --year Y FILE
//	terbuka push     --url URL --dataset D --year Y FILE
//	terbuka prune    [--data DIR | S3 flags] --keep-releases N | --keep-days D
//
// Every flag falls back to a TERBUKA_* environment variable of the same
// name (--s3-endpoint ↔ TERBUKA_S3_ENDPOINT).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// exitError carries the exit status a command wants without printing more.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

var commands = map[string]func(ctx context.Context, args []string) error{
	"generate": cmdGenerate,
	"run":      cmdRun,
	"serve":    cmdServe,
	"reindex":  cmdReindex,
	"index":    cmdIndex,
	"demo":     cmdDemo,
	"token":    cmdToken,
	"validate": cmdValidate,
	"push":     cmdPush,
	"prune":    cmdPrune,
}

const usage = `terbuka — open regional public-finance data

Usage:
  terbuka generate --out DIR [--regions N] [--years 2023,2024] [--seed S]
  terbuka run      [--data DIR | --s3-*] [--no-index] [--dataset D --region R --year Y] FILE...
  terbuka index    [--data DIR | --s3-*] [--index DIR] [--release ID]
  terbuka serve    [--data DIR | --s3-*] [--addr HOST:PORT]
  terbuka reindex  [--data DIR | --s3-*] [--index DIR]
  terbuka demo     [--addr HOST:PORT] [--dir DIR]
  terbuka token    create --region R [--name N] | list | revoke ID
  terbuka validate --dataset D --region R --year Y FILE
  terbuka push     --url URL --dataset D --year Y FILE
  terbuka prune    [--data DIR | --s3-*] --keep-releases N | --keep-days D

Run "terbuka COMMAND -h" for a command's flags. Flags fall back to
TERBUKA_<FLAG> environment variables (e.g. TERBUKA_S3_ENDPOINT).
`

func main() {
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "terbuka: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cmd(ctx, os.Args[2:]); err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		slog.Error("terbuka "+os.Args[1]+" failed", "err", err)
		os.Exit(1)
	}
}
