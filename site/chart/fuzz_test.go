package chart

import (
	"encoding/binary"
	"strings"
	"testing"
)

// FuzzBar feeds arbitrary ids, titles, labels and values to every kind of
// chart: nothing may panic, every SVG and table must be well-formed XML with
// finite coordinates, and no label may open a tag.
func FuzzBar(f *testing.F) {
	f.Add("belanja", "Belanja 2024", "Belanja Pegawai|Belanja Barang dan Jasa|Belanja Modal", []byte{1, 2, 3, 4, 5, 6, 7, 8, 255, 255, 255, 255, 255, 255, 255, 255})
	f.Add(`x" y`, `<script>alert("&")</script>`, "<b>|\"&'|\x00\xff\n", []byte{0, 0, 0, 0, 0, 0, 0, 128})
	f.Add("", "", "", []byte{})
	f.Add("z", "nol", "a|b|c", make([]byte, 24))
	f.Fuzz(func(t *testing.T, id, title, labels string, raw []byte) {
		cats := strings.Split(labels, "|")
		if len(cats) > 40 {
			cats = cats[:40]
		}
		vals := make([]int64, min(len(raw)/8, len(cats)))
		missing := make([]bool, len(vals))
		for i := range vals {
			vals[i] = int64(binary.LittleEndian.Uint64(raw[8*i:]))
			missing[i] = raw[8*i]&3 == 0
		}
		c := Chart{
			ID: id, Title: title, Desc: "", Categories: cats, CategoryName: title, Unit: title,
			Series: []Series{
				{Name: title, Values: vals},
				{Name: "Realisasi", Values: vals[:len(vals)/2], Missing: missing},
			},
			Format: rupiahShort,
		}
		for _, r := range kinds(c) {
			for _, out := range []string{string(r.SVG), string(r.Table)} {
				if strings.Contains(out, "<script") || strings.Contains(out, "<b>") {
					t.Fatalf("label opened a tag:\n%s", out)
				}
			}
			checkSVG(t, string(r.SVG))
			checkXML(t, string(r.Table))
		}
	})
}
