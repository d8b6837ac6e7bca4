package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/token"
)

// cmdToken manages the tokens regions push feeds with.
//
//	terbuka token create --region 32.73 [--name "BPKAD Kota Bandung"]
//	terbuka token list
//	terbuka token revoke ID
func cmdToken(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: terbuka token create --region R [--name N] | list | revoke ID  [storage flags]")
		return exitError{2}
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("token " + sub)
	var sf storageFlags
	sf.register(fs, "./data")
	region := fs.String("region", "", "Kemendagri code of the region the token pushes for (create)")
	name := fs.String("name", "", "who holds the token, e.g. \"BPKAD Kota Bandung\" (create)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, _, _, err := sf.open(ctx)
	if err != nil {
		return err
	}
	reg := &token.Registry{Store: st, Regions: dataset.LoadRegions()}
	switch sub {
	case "create":
		if *region == "" {
			fmt.Fprintln(os.Stderr, "terbuka token create: --region is required")
			return exitError{2}
		}
		secret, t, err := reg.Create(ctx, *region, *name)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "token %s for %s (%s) created. It is shown only now; keep it secret:\n", t.ID, t.Region, regionName(t.Region))
		fmt.Println(secret)
		return nil
	case "list":
		list, err := reg.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tREGION\tNAME\tCREATED\tREVOKED")
		for _, t := range list {
			revoked := ""
			if t.Revoked != nil {
				revoked = t.Revoked.Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\t%s\n", t.ID, t.Region, regionName(t.Region), t.Name, t.Created.Format("2006-01-02 15:04"), revoked)
		}
		return tw.Flush()
	case "revoke":
		if fs.NArg() != 1 {
			fmt.Fprintln(os.Stderr, "terbuka token revoke: give the token ID (see terbuka token list)")
			return exitError{2}
		}
		t, err := reg.Revoke(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Printf("token %s of %s revoked\n", t.ID, t.Region)
		return nil
	}
	fmt.Fprintf(os.Stderr, "terbuka token: unknown subcommand %q (create, list, revoke)\n", sub)
	return exitError{2}
}

func regionName(code string) string {
	if r := dataset.LoadRegions().Lookup(code); r != nil {
		return r.Name
	}
	return ""
}
