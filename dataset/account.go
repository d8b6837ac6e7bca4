package dataset

import (
	"regexp"
	"strings"
)

// Account codes (kode rekening) are this package's alone to read: every
// dataset, the profile sums and the hierarchy check take them through
// ParseAccountCode and the functions below, so one rule says what a code
// is.
//
// Permendagri 90/2019 writes six levels: akun (4), kelompok (4.1), jenis
// (4.1.02), objek (4.1.02.02), rincian objek (4.1.02.02.01) and sub
// rincian objek (4.1.02.02.01.0003). SIPD writes the jenis with two
// digits. Older exports, the real 2021 APBD export in the shared data
// among them, write it with one (4.1.2.02.01.0003); Terbuka stores every
// code with two.
//
// Permendagri 13/2006, in use until 2020, also wrote the jenis with one
// digit and had five levels (5.2.2.01.01), so a code of levels 3 to 5
// written with a one-digit jenis may be either. Only a sub rincian objek
// (a sixth level of four digits, which 13/2006 does not have) tells them
// apart: a feed that writes such codes with a one-digit jenis writes
// Permendagri 90/2019, and its shorter codes are read as 90/2019 too (see
// AccountNotation). Without one the code is refused as ambiguous, since
// ambiguity must be an error, not a guess.

var (
	// accountPattern is a Permendagri 90/2019 code as Terbuka stores it,
	// at any level from akun to sub rincian objek.
	accountPattern = regexp.MustCompile(`^[4-6](\.\d(\.\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)?)?$`)
	// shortJenisAccount is a code of level 3 or more whose jenis has one
	// digit: Permendagri 90/2019 as older exports write it, or 13/2006.
	shortJenisAccount = regexp.MustCompile(`^[4-6]\.\d\.\d(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$`)
)

// AccountLevels names the six levels of a Permendagri 90/2019 account code,
// level 1 first.
var AccountLevels = []Label{
	{"akun", "account"},
	{"kelompok", "group"},
	{"jenis", "type"},
	{"objek", "object"},
	{"rincian objek", "object detail"},
	{"sub rincian objek", "object sub-detail"},
}

// AccountForm says how a feed wrote an account code.
type AccountForm uint8

const (
	// AccountTwoDigitJenis is a code as SIPD writes it, or one of the
	// first two levels, which have no jenis.
	AccountTwoDigitJenis AccountForm = iota
	// AccountShortSubRincian is a sub rincian objek written with a
	// one-digit jenis (4.1.2.02.01.0003): Permendagri 90/2019 for certain.
	AccountShortSubRincian
	// AccountShortAmbiguous is a code of levels 3 to 5 written with a
	// one-digit jenis (5.2.2.01.01): Permendagri 90/2019 or 13/2006.
	AccountShortAmbiguous
)

// ParseAccountCode reads an account code as a feed writes it and returns
// it as Terbuka stores it (the jenis with two digits), with the form it
// was written in. A code of AccountShortAmbiguous form is returned with
// no error: whether it may be taken depends on the rest of its feed.
func ParseAccountCode(raw string) (string, AccountForm, *FieldError) {
	s := strings.TrimSpace(raw)
	switch {
	case accountPattern.MatchString(s):
		return s, AccountTwoDigitJenis, nil
	case shortJenisAccount.MatchString(s):
		parts := strings.Split(s, ".")
		parts[2] = "0" + parts[2]
		form := AccountShortAmbiguous
		if len(parts) == 6 {
			form = AccountShortSubRincian
		}
		return strings.Join(parts, "."), form, nil
	}
	return "", 0, formatError(accountPattern)
}

// ambiguousAccount is the error for a code written with a one-digit jenis
// whose feed does not show that it is Permendagri 90/2019.
func ambiguousAccount(canonical string) *FieldError {
	return fieldErr("account_legacy",
		"jenis ditulis satu digit: bisa kode Permendagri 13/2006 atau kode Permendagri 90/2019 (%s), dan kiriman ini tidak memuat kode sub rincian objek (mis. 5.1.2.02.01.0003) yang memastikannya; sejak 2021 gunakan kode Permendagri 90/2019 dengan jenis dua digit (mis. 5.1.02.01.01.0024)",
		"the jenis has one digit: this may be a Permendagri 13/2006 code or the Permendagri 90/2019 code %s, and this submission has no sub rincian objek code (e.g. 5.1.2.02.01.0003) that settles it; since 2021 use the Permendagri 90/2019 codes with a two-digit jenis (e.g. 5.1.02.01.01.0024)",
		canonical)
}

// parseAccount is Field.Parse for an account code read on its own, with
// no feed around it: a code of ambiguous form is refused.
func parseAccount(f *Field, s string) (Value, *FieldError) {
	code, form, err := ParseAccountCode(s)
	if err != nil {
		return Value{}, err
	}
	if form == AccountShortAmbiguous {
		return Value{}, ambiguousAccount(code)
	}
	return f.parseText(code)
}

// AccountNotation settles, over one feed, how its account codes are
// written. Codes of AccountShortAmbiguous form are Permendagri 90/2019 when
// the feed also writes a sub rincian objek with a one-digit jenis; until
// the feed has been read, Read keeps them as pending.
type AccountNotation struct {
	settled bool
}

// Read parses one account code of the feed. pending says the code is of
// ambiguous form and may be taken only if Settled holds once the whole
// feed has been read; Pending then gives the error to report for it.
func (n *AccountNotation) Read(f *Field, raw string) (v Value, pending bool, err *FieldError) {
	code, form, err := ParseAccountCode(raw)
	if err != nil {
		return Value{}, false, err
	}
	if form == AccountShortSubRincian {
		n.settled = true
	}
	v, err = f.parseText(code)
	return v, err == nil && form == AccountShortAmbiguous, err
}

// Settled reports whether the feed read so far wrote a sub rincian objek
// with a one-digit jenis, which makes its other such codes Permendagri
// 90/2019.
func (n *AccountNotation) Settled() bool { return n.settled }

// Pending is the error for a pending code (as Read returned it) of a feed
// that ended without settling.
func (n *AccountNotation) Pending(code string) *FieldError { return ambiguousAccount(code) }

// AccountLevel returns the level of a stored account code: 1 for an akun
// (5) to 6 for a sub rincian objek (5.1.02.01.01.0024).
func AccountLevel(code string) int {
	if code == "" {
		return 0
	}
	return strings.Count(code, ".") + 1
}

// AccountParent returns the code one level above a stored account code
// (5.1.02 → 5.1), "" for an akun.
func AccountParent(code string) string {
	i := strings.LastIndexByte(code, '.')
	if i < 0 {
		return ""
	}
	return code[:i]
}

// AccountLevelName names a level (1–6) of the account code.
func AccountLevelName(level int) Label {
	if level < 1 || level > len(AccountLevels) {
		return Label{}
	}
	return AccountLevels[level-1]
}

// AccountGroups are the top-level account groups of Permendagri 90/2019.
var AccountGroups = []string{"pendapatan", "belanja", "pembiayaan"}

// AccountGroup returns the group of an account code from its first digit,
// or "" when the code is not a revenue, expenditure or financing account.
func AccountGroup(code string) string {
	switch {
	case strings.HasPrefix(code, "4"):
		return "pendapatan"
	case strings.HasPrefix(code, "5"):
		return "belanja"
	case strings.HasPrefix(code, "6"):
		return "pembiayaan"
	}
	return ""
}

// AccountJenis returns the jenis of an account code (5.1.02.01.01.0024 →
// 5.1.02; 5.1.2.02.01.0024, written with a one-digit jenis, → 5.1.02), or
// the code's first three levels as they are written when they are no
// account code; "" for codes shorter than three levels.
func AccountJenis(code string) string {
	if c, _, err := ParseAccountCode(code); err == nil {
		code = c
	}
	parts := strings.SplitN(code, ".", 4)
	if len(parts) < 3 {
		return ""
	}
	return parts[0] + "." + parts[1] + "." + parts[2]
}
