package site

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/redflag"
)

// flagNames are the red flags as pages name them. The rules, thresholds
// and sources are in package redflag and on /metodologi/tanda-risiko.
var flagNames = map[redflag.Flag]dataset.Label{
	redflag.SingleBidder:        {ID: "Satu penawaran", EN: "Single bid"},
	redflag.ContractNearHPS:     {ID: "Kontrak hampir sama dengan HPS", EN: "Contract at the owner's estimate"},
	redflag.ContractAboveHPS:    {ID: "Kontrak di atas HPS atau pagu", EN: "Contract above the estimate or ceiling"},
	redflag.LowBid:              {ID: "Penawaran sangat rendah", EN: "Abnormally low bid"},
	redflag.DirectOverThreshold: {ID: "Pengadaan langsung di batas nilai", EN: "Direct purchase at its ceiling"},
	redflag.PossibleSplitting:   {ID: "Kemungkinan pemecahan paket", EN: "Possible contract splitting"},
	redflag.ShortTender:         {ID: "Tender sangat singkat", EN: "Unusually short tender"},
	redflag.RepeatWinner:        {ID: "Pemenang berulang", EN: "Repeat winner"},
	redflag.YearEnd:             {ID: "Diumumkan di akhir tahun", EN: "Year-end rush"},
}

// flagName is the page name of a flag value, the value itself when
// unknown.
func flagName(l lang, value string) string {
	if lb, ok := flagNames[redflag.Flag(value)]; ok {
		return l.label(lb)
	}
	return value
}

// flagView is one flag of a record as its page explains it.
type flagView struct {
	Flag   string
	Name   string
	Reason string
}

// flagViews explains a record's flags from its flag and flag_figures
// columns, in the order the flags are listed.
func flagViews(l lang, flags, figures dataset.Value) []flagView {
	why := map[string]map[string]int64{}
	if figures.Valid {
		// Written by the publisher; a value it cannot read still names
		// the flags, without their figures.
		_ = json.Unmarshal([]byte(figures.Str), &why)
	}
	var out []flagView
	for _, f := range dataset.ListValues(flags) {
		out = append(out, flagView{Flag: f, Name: flagName(l, f), Reason: flagReason(l, redflag.Flag(f), why[f])})
	}
	return out
}

// flagReason says in a sentence why a package has a flag, with the
// figures the flag rests on.
func flagReason(l lang, f redflag.Flag, w map[string]int64) string {
	id := l != langEN
	pick := func(idText, enText string) string {
		if id {
			return idText
		}
		return enText
	}
	rp := func(k string) string { return rupiah(l, w[k]) }
	rules := redflag.Rules()
	bp := func(n int64) string { return percent(l, float64(n)/10000) }
	share := func(part, whole string) string { return ratio(l, w[part], w[whole]) }
	switch f {
	case redflag.SingleBidder:
		if n := w["participants"]; n > 0 {
			return pick(fmt.Sprintf("Hanya 1 penawaran masuk dari %s peserta terdaftar, dalam pemilihan yang seharusnya bersaing.", number(l, n)),
				fmt.Sprintf("Only 1 bid was submitted, of %s registered participants, in a selection meant to be competitive.", number(l, n)))
		}
		return pick("Hanya 1 penawaran masuk, dalam pemilihan yang seharusnya bersaing.", "Only 1 bid was submitted, in a selection meant to be competitive.")
	case redflag.ContractNearHPS:
		return pick(fmt.Sprintf("Nilai kontrak %s adalah %s dari HPS %s (ambang: %s atau lebih).", rp("contract"), share("contract", "hps"), rp("hps"), bp(rules.NearHPSBP)),
			fmt.Sprintf("The contract, %s, is %s of the owner's estimate (HPS) of %s (threshold: %s or more).", rp("contract"), share("contract", "hps"), rp("hps"), bp(rules.NearHPSBP)))
	case redflag.ContractAboveHPS:
		if w["hps"] > 0 && w["contract"] > w["hps"] {
			return pick(fmt.Sprintf("Nilai kontrak %s melebihi HPS %s (%s).", rp("contract"), rp("hps"), share("contract", "hps")),
				fmt.Sprintf("The contract, %s, exceeds the owner's estimate (HPS) of %s (%s).", rp("contract"), rp("hps"), share("contract", "hps")))
		}
		return pick(fmt.Sprintf("Nilai kontrak %s melebihi pagu %s.", rp("contract"), rp("ceiling")),
			fmt.Sprintf("The contract, %s, exceeds the budget ceiling of %s.", rp("contract"), rp("ceiling")))
	case redflag.LowBid:
		return pick(fmt.Sprintf("Nilai kontrak pekerjaan konstruksi %s hanya %s dari HPS %s (ambang: di bawah %s).", rp("contract"), share("contract", "hps"), rp("hps"), bp(rules.LowBidBP)),
			fmt.Sprintf("The construction contract, %s, is only %s of the owner's estimate (HPS) of %s (threshold: under %s).", rp("contract"), share("contract", "hps"), rp("hps"), bp(rules.LowBidBP)))
	case redflag.DirectOverThreshold:
		since := dateWords(l, time.Unix(w["since"], 0).In(dataset.WIB))
		return pick(fmt.Sprintf("Nilai paket %s adalah %s dari batas pengadaan langsung %s yang berlaku sejak %s (ambang: %s atau lebih).", rp("value"), share("value", "limit"), rp("limit"), since, bp(rules.JustUnderBP)),
			fmt.Sprintf("The package, %s, is %s of the direct-purchase ceiling of %s in force since %s (threshold: %s or more).", rp("value"), share("value", "limit"), rp("limit"), since, bp(rules.JustUnderBP)))
	case redflag.PossibleSplitting:
		return pick(fmt.Sprintf("%s paket pengadaan langsung dari perangkat daerah yang sama kepada penyedia yang sama dalam %d hari berjumlah %s, melebihi batas %s yang tidak dilampaui masing-masing paket.", number(l, w["packages"]), rules.SplitWindowDays, rp("sum"), rp("limit")),
			fmt.Sprintf("%s direct purchases by the same agency from the same supplier within %d days add up to %s, above the ceiling of %s that each stays under.", number(l, w["packages"]), rules.SplitWindowDays, rp("sum"), rp("limit")))
	case redflag.ShortTender:
		return pick(fmt.Sprintf("%s hari dari pengumuman sampai penetapan pemenang; paket dengan metode yang sama di wilayah dan tahun ini dianggap sangat singkat di bawah %s hari (Q1 − 1,5 × IQR atas %s paket).", number(l, w["days"]), number(l, w["fence_days"]), number(l, w["packages"])),
			fmt.Sprintf("%s days from announcement to award; for this method in this region and year, under %s days is unusually short (Q1 − 1.5 × IQR over %s packages).", number(l, w["days"]), number(l, w["fence_days"]), number(l, w["packages"])))
	case redflag.RepeatWinner:
		pct := percent(l, float64(w["share_bp"])/10000)
		return pick(fmt.Sprintf("Penyedia ini memenangi %s dari %s paket perangkat daerah ini pada tahun yang sama (%s).", number(l, w["wins"]), number(l, w["packages"]), pct),
			fmt.Sprintf("This supplier won %s of the agency's %s packages that year (%s).", number(l, w["wins"]), number(l, w["packages"]), pct))
	case redflag.YearEnd:
		return pick(fmt.Sprintf("Diumumkan pada bulan Desember, %s hari sebelum tahun anggaran berakhir.", number(l, w["days"])),
			fmt.Sprintf("Announced in December, %s days before the fiscal year ends.", number(l, w["days"])))
	}
	return ""
}

// flagList writes flag values as their page names, comma-separated.
func flagList(l lang, value string) string {
	var names []string
	for _, f := range strings.Split(value, ",") {
		names = append(names, flagName(l, f))
	}
	return strings.Join(names, ", ")
}
