package demo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
)

// participant is one row of LKPP's tender participants export: a firm that
// registered for a tender and, when it submitted one, its bid in sen.
type participant struct {
	id             int64
	firm           supplier
	bid, corrected int64
	winner         bool
	reason         string
}

// Reasons SPSE records for bidders that failed evaluation.
const (
	failedTechnical     = "Gugur evaluasi teknis"
	failedPrice         = "Gugur evaluasi harga"
	failedQualification = "Tidak memenuhi persyaratan kualifikasi"
)

// writeBids writes the participants of the region-year's tenders, as
// LKPP's peserta tender export lists them. The packages are rebuilt from
// procurement's stream (rng); the participants come from a stream of their
// own (det), so drawing them leaves the packages, and so the procurement
// feed, as they are. Direct procurement (pengadaan and penunjukan
// langsung) is not in the export, nor is a tender nobody registered for.
func writeBids(rw *rowWriter, p *plan, rng, det *rand.Rand) error {
	pools := newBidderPools(p, det)
	// Participant ids are one SPSE sequence, rising with gaps.
	seq := 10_000_000 + det.Int64N(5_000_000)
	for _, k := range procurementPackages(p, rng) {
		if k.tender == "" || !competitive(k.method) || k.bidders == 0 {
			continue
		}
		for _, pt := range pools.participants(det, k, &seq) {
			if err := writeParticipant(rw, k, pt); err != nil {
				return err
			}
		}
	}
	return nil
}

// participants lists a tender's k.bidders registrants in the order they
// registered, with the bids of those who submitted one and, when the
// tender was awarded, its winner, who always bid.
func (b *bidderPools) participants(rng *rand.Rand, k *pkg, seq *int64) []participant {
	firms := b.draw(rng, k.kind, k.bidders, k.supplier)
	out := make([]participant, len(firms))
	for i, f := range firms {
		*seq += 1 + rng.Int64N(3)
		out[i] = participant{id: *seq, firm: f}
	}
	bidders := rng.Perm(len(out))
	var win int64
	if k.supplier != nil {
		w := slices.IndexFunc(out, func(pt participant) bool { return pt.firm.name == k.supplier.name })
		i := slices.Index(bidders, w)
		bidders[0], bidders[i] = bidders[i], bidders[0]
		out[w].winner = true
		win = winningBid(rng, k)
	}
	for _, i := range bidders[:bidCount(rng, k)] {
		pt := &out[i]
		if pt.winner {
			pt.bid, pt.corrected = win, win
			continue
		}
		pt.bid = losingBid(rng, k.hps)
		pt.corrected = corrected(rng, pt.bid)
		// A low bid that won (flagFigures) is under every other; the
		// reasons are drawn against the bid drawn first, so that the
		// stream, and the participants of every later tender, stay as
		// they were.
		pt.reason = reason(rng, k, pt.bid, cmp.Or(k.drawn, win))
	}
	return out
}

// bidCount is how many of a tender's participants submitted a bid. In SPSE
// most registrants only download the documents: a works tender with fifty
// participants gets a handful of bids, and about one awarded tender in
// fourteen a single one, which publishing flags as single_bidder. A failed
// tender had few bids if any; one announced days ago has none opened yet.
func bidCount(rng *rand.Rand, k *pkg) int {
	n := k.bidders
	switch {
	case k.status == "diumumkan":
		return 0
	case k.status == "gagal":
		return rng.IntN(n + 1)
	case n == 1 || rng.Float64() < 0.07:
		return 1
	}
	return 2 + int(math.Round(float64(n-2)*(0.04+0.26*rng.Float64())))
}

// winningBid is the winner's bid: the contract value, which the demo signs
// at the bid; near the HPS when the contract is not known.
func winningBid(rng *rand.Rand, k *pkg) int64 {
	if k.contract > 0 {
		return k.contract
	}
	return max(roundTo(jitter(rng, k.hps, 0.85, 0.98), 100), 100)
}

// losingBid draws another bidder's bid, 80–105% of the HPS; about half
// keep their sen, as contract values do.
func losingBid(rng *rand.Rand, hps int64) int64 {
	v := jitter(rng, hps, 0.80, 1.05)
	if rng.IntN(2) == 0 {
		v = roundTo(v, 100)
	}
	return max(v, 100)
}

// corrected applies the evaluation's arithmetic correction: most bids
// have none, a few move by less than one per cent.
func corrected(rng *rand.Rand, bid int64) int64 {
	if rng.Float64() < 0.9 {
		return bid
	}
	return max(jitter(rng, bid, 0.99, 1.01), 100)
}

// reason is what SPSE records for a bidder that did not win. A bid over
// the HPS fails the price evaluation; a bid under the winner's, which
// would otherwise have won, failed the technical evaluation or the
// qualification, as does every bid of a failed tender and a few others;
// the rest ranked below the winner and need none. A tender still being
// evaluated has no reasons yet.
func reason(rng *rand.Rand, k *pkg, bid, win int64) string {
	switch {
	case k.status == "evaluasi" || k.status == "diumumkan":
		return ""
	case bid > k.hps:
		return failedPrice
	case k.supplier == nil || bid < win || rng.Float64() < 0.2:
		if rng.IntN(3) == 0 {
			return failedQualification
		}
		return failedTechnical
	}
	return ""
}

// writeParticipant writes one participant row.
func writeParticipant(rw *rowWriter, k *pkg, pt participant) error {
	rw.set("tender_id", k.tender)
	rw.set("participant_id", strconv.FormatInt(pt.id, 10))
	rw.set("agency_code", k.agency.code)
	rw.set("supplier_name", pt.firm.name)
	rw.set("supplier_tax_id", pt.firm.taxID)
	if pt.bid > 0 {
		rw.set("bid_value", money(pt.bid))
		rw.set("corrected_bid", money(pt.corrected))
	}
	winner := "0"
	if pt.winner {
		winner = "1"
	}
	rw.set("winner", winner)
	rw.set("reason", pt.reason)
	return rw.write()
}

// bidderPools are the firms that register for a region's tenders, by line
// of business: first the plan's suppliers, who win its packages, then
// twice as many more that register and bid but never win here. The
// invented firms are named unlike any other, so a name keeps one NPWP.
type bidderPools struct {
	firms    [kinds][]supplier
	names    map[string]bool
	province string
}

func newBidderPools(p *plan, rng *rand.Rand) *bidderPools {
	b := &bidderPools{names: map[string]bool{}, province: p.region.ProvinceCode}
	for k := range kinds {
		b.firms[k] = slices.Clone(p.suppliers[k])
		for _, s := range b.firms[k] {
			b.names[s.name] = true
		}
	}
	for k := range kinds {
		for len(b.firms[k]) < 3*len(p.suppliers[k]) {
			b.grow(rng, k)
		}
	}
	return b
}

// grow invents one more firm of a kind, named unlike any other.
func (b *bidderPools) grow(rng *rand.Rand, kind supplierKind) {
	for {
		name := firmName(rng, kind)
		if !b.names[name] {
			b.names[name] = true
			b.firms[kind] = append(b.firms[kind], supplier{name, companyTaxID(rng, b.province)})
			return
		}
	}
}

// draw picks a tender's n distinct participants of a kind, the winner
// among them when there is one, in the order they registered. The front
// of the pool, the region's regular suppliers, takes part most.
func (b *bidderPools) draw(rng *rand.Rand, kind supplierKind, n int, winner *supplier) []supplier {
	for len(b.firms[kind]) <= n {
		b.grow(rng, kind)
	}
	avail := slices.Clone(b.firms[kind])
	var out []supplier
	if winner != nil {
		out = append(out, *winner)
		avail = slices.DeleteFunc(avail, func(s supplier) bool { return s.name == winner.name })
	}
	for len(out) < n {
		i := int(float64(len(avail)) * math.Pow(rng.Float64(), 1.5))
		out = append(out, avail[i])
		avail = slices.Delete(avail, i, i+1)
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
