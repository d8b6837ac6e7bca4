package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// agencyTpl is a regional agency (SKPD/OPD) every regency or city of the
// demo has. Codes follow the SIPD organisation format of Permendagri 90/2019
// (urusan.bidang.urusan.bidang.urusan.bidang.unit.sub-unit, e.g.
// 1.03.0.00.0.00.01.0000); the names are the common ones of Perangkat Daerah
// regulations, not those of any particular region.
type agencyTpl struct {
	code, name string
	// unit is the urusan.bidang that replaces X.XX in the support programme.
	unit string
	// staff weighs the agency's payroll and office running costs.
	staff float64
	// only limits the agency to "kabupaten" or "kota"; empty means both.
	only string
	// lines are the agency's own budget lines beyond the support programme.
	lines []lineTpl
}

// lineTpl is a recurring budget line: a sub-activity, an account, the
// spending class it draws from and its relative size within that class.
type lineTpl struct {
	sub, acct string
	class     class
	weight    float64
	desc      string
}

var agencyTpls = []agencyTpl{
	{code: "1.01.0.00.0.00.01.0000", name: "Dinas Pendidikan", unit: "1.01", staff: 40, lines: []lineTpl{
		{"X.XX.01.2.02.01", "5.1.01.03.03.0001", personnel, 12, "Tunjangan profesi guru PNSD"},
		{"1.01.02.2.01.26", "5.1.02.02.01.0013", goods, 3, "Honorarium guru non-ASN sekolah dasar"},
		{"1.01.02.2.02.39", "5.1.02.02.01.0013", goods, 1.5, "Honorarium guru non-ASN SMP"},
		{"1.01.02.2.01.14", "5.2.02.05.02.0001", capital, 2, "Mebel sekolah dasar"},
		{"1.01.02.2.03.11", "5.1.02.01.01.0039", goods, 0.5, "Bantuan operasional PAUD"},
		{"1.01.02.2.01.29", "5.1.02.88.88", goods, 2.4, "Dana BOS SD negeri"},
		{"1.01.02.2.02.42", "5.1.02.88.88", goods, 1.5, "Dana BOS SMP negeri"},
		{"1.01.02.2.01.29", "5.1.05.06.02", grants, 1, "Hibah dana BOS kepada SD swasta"},
		{"1.01.02.2.02.42", "5.1.05.06.02", grants, 0.85, "Hibah dana BOS kepada SMP swasta"},
		{"1.01.02.2.01.17", "5.1.02.01.01.0039", goods, 0.3, "Seragam sekolah gratis bagi siswa SD dari keluarga kurang mampu"},
		{"1.01.02.2.02.28", "5.1.02.01.01.0039", goods, 0.2, "Seragam sekolah gratis bagi siswa SMP dari keluarga kurang mampu"},
		{"1.01.02.2.02.32", "5.1.02.05.01.0003", goods, 0.2, "Beasiswa bagi siswa SMP dari keluarga miskin"},
	}},
	{code: "1.02.0.00.0.00.01.0000", name: "Dinas Kesehatan", unit: "1.02", staff: 10, lines: []lineTpl{
		{"1.02.02.2.01.16", "5.1.02.01.01.0037", goods, 1.5, "Obat dan bahan medis habis pakai puskesmas"},
		{"1.02.02.2.01.14", "5.2.02.07.01.0001", capital, 1.5, "Alat kesehatan puskesmas"},
		{"1.02.02.2.02.01", "5.1.02.02.12.0002", goods, 0.3, "Kelas ibu hamil"},
		{"1.02.02.2.02.04", "5.1.02.01.01.0039", goods, 0.6, "Pemberian makanan tambahan balita"},
		{"1.02.02.2.02.15", "5.1.02.01.01.0039", goods, 0.4, "Pencegahan stunting"},
		{"1.02.02.2.02.26", "5.1.02.02.02.0003", goods, 6, "Iuran JKN penduduk yang didaftarkan pemerintah daerah"},
		{"1.02.02.2.02.33", "5.1.02.02.01.0014", goods, 3, "Tenaga kesehatan non-ASN puskesmas"},
		{"1.02.02.2.01.12", "5.2.02.02.01.0002", capital, 0.12, "Ambulans puskesmas"},
		{"1.02.05.2.03.01", "5.1.02.02.12.0003", goods, 0.08, "Bimbingan teknis kader posyandu"},
		{"1.02.05.2.03.01", "5.1.02.01.01.0039", goods, 0.12, "Alat timbang dan ukur balita untuk posyandu"},
	}},
	{code: "1.02.0.00.0.00.02.0000", name: "Rumah Sakit Umum Daerah %s", unit: "1.02", staff: 6, lines: []lineTpl{
		{"1.02.02.2.02.32", "5.1.01.99.99.9999", personnel, 6, "Jasa pelayanan BLUD"},
		{"1.02.02.2.02.32", "5.1.02.99.99.9999", goods, 7, "Operasional BLUD rumah sakit"},
		{"1.02.02.2.02.32", "5.1.02.01.01.0056", goods, 1, "Makanan dan minuman pasien rawat inap"},
		{"1.02.02.2.01.14", "5.2.02.07.01.0001", capital, 2, "Alat kedokteran rumah sakit"},
	}},
	{code: "1.03.0.00.0.00.01.0000", name: "Dinas Pekerjaan Umum dan Penataan Ruang", unit: "1.03", staff: 3, lines: []lineTpl{
		{"1.03.10.2.01.01", "5.1.02.02.08.0009", goods, 1, "Penyusunan DED jalan dan jembatan"},
		{"1.03.06.2.01.09", "5.1.02.02.01.0030", goods, 0.4, "Petugas pemeliharaan dan pembersihan saluran drainase"},
	}},
	{code: "1.04.0.00.0.00.01.0000", name: "Dinas Perumahan dan Kawasan Permukiman", unit: "1.04", staff: 1, lines: []lineTpl{
		{"1.04.03.2.03.02", "5.1.02.01.01.0039", goods, 0.5, "Bahan bangunan perbaikan rumah tidak layak huni (RTLH)"},
	}},
	{code: "1.05.0.00.0.00.01.0000", name: "Satuan Polisi Pamong Praja dan Pemadam Kebakaran", unit: "1.05", staff: 2.5, lines: []lineTpl{
		{"1.05.04.2.01.01", "5.1.02.02.12.0002", goods, 0.2, "Sosialisasi pencegahan kebakaran"},
		{"1.05.04.2.01.02", "5.1.02.01.01.0004", goods, 0.6, "Bahan bakar armada pemadam kebakaran"},
		{"1.05.04.2.01.02", "5.2.02.02.01.0002", capital, 2, "Kendaraan operasional pemadam kebakaran"},
	}},
	{code: "1.05.0.00.0.00.02.0000", name: "Badan Penanggulangan Bencana Daerah", unit: "1.05", staff: 1, lines: []lineTpl{
		{"1.05.03.2.04.02", "5.1.02.02.12.0003", goods, 0.2, "Pelatihan relawan desa tangguh bencana"},
	}},
	{code: "1.06.0.00.0.00.01.0000", name: "Dinas Sosial", unit: "1.06", staff: 1, lines: []lineTpl{
		{"1.06.04.2.01.01", "5.1.02.01.01.0039", goods, 0.4, "Permakanan lanjut usia terlantar"},
		{"1.06.04.2.01.03", "5.1.02.01.01.0039", goods, 0.4, "Alat bantu penyandang disabilitas"},
	}},
	{code: "2.07.0.00.0.00.01.0000", name: "Dinas Tenaga Kerja", unit: "2.07", staff: 0.6, lines: []lineTpl{
		{"2.07.03.2.01.01", "5.1.02.02.12.0001", goods, 0.15, "Pelatihan kerja berbasis kompetensi bagi pencari kerja"},
	}},
	{code: "2.11.0.00.0.00.01.0000", name: "Dinas Lingkungan Hidup", unit: "2.11", staff: 2.5, lines: []lineTpl{
		{"2.11.11.2.01.03", "5.1.02.02.01.0051", goods, 0.8, "Jasa pengolahan sampah di tempat pemrosesan akhir (TPA)"},
		{"2.11.11.2.01.07", "5.2.02.01.01.0012", capital, 0.1, "Alat berat penataan sampah di TPA"},
	}},
	{code: "2.12.0.00.0.00.01.0000", name: "Dinas Kependudukan dan Pencatatan Sipil", unit: "2.12", staff: 1},
	{code: "2.13.0.00.0.00.01.0000", name: "Dinas Pemberdayaan Masyarakat dan Desa", unit: "2.13", staff: 0.8, only: "kabupaten", lines: []lineTpl{
		{"2.13.04.2.01.03", "5.1.02.02.12.0003", goods, 0.3, "Bimbingan teknis penyusunan RPJMDes dan RKPDes"},
		{"2.13.04.2.01.04", "5.1.02.02.12.0003", goods, 0.3, "Bimbingan teknis Siskeudes"},
		{"2.13.04.2.01.05", "5.1.02.02.12.0003", goods, 0.4, "Peningkatan kapasitas kepala desa dan BPD"},
	}},
	{code: "2.15.0.00.0.00.01.0000", name: "Dinas Perhubungan", unit: "2.15", staff: 1.5, lines: []lineTpl{
		{"2.15.02.2.02.02", "5.2.02.18.01.0003", capital, 1.5, "Rambu dan marka jalan"},
		{"2.15.02.2.02.04", "5.1.02.02.01.0061", goods, 1.2, "Tagihan listrik penerangan jalan umum (PJU)"},
		{"2.15.02.2.05.01", "5.1.02.02.01.0026", goods, 0.2, "Petugas pengujian kendaraan bermotor"},
		{"2.15.02.2.02.02", "5.2.02.18.01.0003", capital, 0.2, "Alat pemberi isyarat lalu lintas (APILL/lampu lalu lintas) di persimpangan"},
	}},
	{code: "2.16.2.20.2.21.01.0000", name: "Dinas Komunikasi dan Informatika", unit: "2.16", staff: 1},
	{code: "2.17.0.00.0.00.01.0000", name: "Dinas Koperasi, Usaha Kecil dan Menengah", unit: "2.17", staff: 0.6, lines: []lineTpl{
		{"2.17.07.2.01.02", "5.1.02.02.12.0003", goods, 0.1, "Pendampingan dan pelatihan kewirausahaan pelaku UMKM"},
		{"2.17.07.2.01.02", "5.1.02.01.01.0039", goods, 0.2, "Bantuan peralatan usaha bagi pelaku usaha mikro"},
	}},
	{code: "3.27.0.00.0.00.01.0000", name: "Dinas Pertanian", unit: "3.27", staff: 2, only: "kabupaten"},
	{code: "4.01.0.00.0.00.01.0000", name: "Sekretariat Daerah", unit: "4.01", staff: 3.5, lines: []lineTpl{
		{"X.XX.01.2.02.01", "5.1.01.05.01.0001", personnel, 0.05, "Kepala daerah dan wakil kepala daerah"},
		{"X.XX.01.2.02.01", "5.1.01.06.02.0001", personnel, 0.3, "Dana operasional kepala daerah dan wakil kepala daerah"},
	}},
	{code: "4.02.0.00.0.00.01.0000", name: "Sekretariat DPRD", unit: "4.02", staff: 1.5, lines: []lineTpl{
		{"X.XX.01.2.02.01", "5.1.01.04.01.0001", personnel, 0.15, "Pimpinan dan anggota DPRD"},
		{"X.XX.01.2.02.01", "5.1.01.04.05.0001", personnel, 0.2, "Pimpinan dan anggota DPRD"},
		{"X.XX.01.2.02.01", "5.1.01.04.08.0001", personnel, 0.5, "Pimpinan dan anggota DPRD"},
		{"X.XX.01.2.02.01", "5.1.01.04.09.0001", personnel, 0.4, "Reses pimpinan dan anggota DPRD"},
	}},
	{code: "5.01.0.00.0.00.01.0000", name: "Badan Perencanaan Pembangunan Daerah", unit: "5.01", staff: 1},
	{code: "5.02.0.00.0.00.01.0000", name: "Badan Pengelolaan Keuangan dan Aset Daerah", unit: "5.02", staff: 2.5},
	{code: "5.03.5.04.0.00.01.0000", name: "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", unit: "5.03", staff: 1},
	{code: "6.01.0.00.0.00.01.0000", name: "Inspektorat Daerah", unit: "6.01", staff: 1, lines: []lineTpl{
		{"6.01.02.2.01.01", "5.1.02.04.01.0001", goods, 0.4, "Audit kinerja dan keuangan perangkat daerah"},
		{"6.01.02.2.01.02", "5.1.02.04.01.0003", goods, 0.2, "Reviu laporan keuangan pemerintah daerah"},
		{"6.01.02.2.01.04", "5.1.02.01.01.0052", goods, 0.1, "Evaluasi SAKIP perangkat daerah"},
	}},
	{code: "8.01.0.00.0.00.01.0000", name: "Badan Kesatuan Bangsa dan Politik", unit: "8.01", staff: 0.5},
}

// supportLines are the support-programme lines every agency has; optional
// ones appear in some agencies only, as in real budgets.
var supportLines = []struct {
	lineTpl
	optional bool
}{
	{lineTpl{"X.XX.01.2.02.01", "5.1.01.01.01.0001", personnel, 1, ""}, false},
	{lineTpl{"X.XX.01.2.02.01", "5.1.01.01.02.0001", personnel, 0.1, ""}, true},
	{lineTpl{"X.XX.01.2.02.01", "5.1.01.01.03.0001", personnel, 0.05, ""}, true},
	{lineTpl{"X.XX.01.2.02.01", "5.1.01.01.04.0001", personnel, 0.07, ""}, true},
	{lineTpl{"X.XX.01.2.02.01", "5.1.01.01.06.0001", personnel, 0.04, ""}, true},
	{lineTpl{"X.XX.01.2.02.01", "5.1.01.01.09.0001", personnel, 0.04, ""}, true},
	{lineTpl{"X.XX.01.2.02.01", "5.1.01.02.01.0001", personnel, 0.5, ""}, false},
	{lineTpl{"X.XX.01.2.03.02", "5.1.02.02.01.0061", goods, 0.03, ""}, false},
	{lineTpl{"X.XX.01.2.03.02", "5.1.02.02.01.0060", goods, 0.005, ""}, true},
	{lineTpl{"X.XX.01.2.03.02", "5.1.02.02.01.0059", goods, 0.003, ""}, true},
	{lineTpl{"X.XX.01.2.03.02", "5.1.02.02.01.0063", goods, 0.01, ""}, true},
	{lineTpl{"X.XX.01.2.03.10", "5.1.02.01.01.0024", goods, 0.012, ""}, false},
	{lineTpl{"X.XX.01.2.03.10", "5.1.02.01.01.0025", goods, 0.005, ""}, true},
	{lineTpl{"X.XX.01.2.03.11", "5.1.02.01.01.0026", goods, 0.006, ""}, true},
	{lineTpl{"X.XX.01.2.03.17", "5.1.02.01.01.0052", goods, 0.015, ""}, false},
	{lineTpl{"X.XX.01.2.03.18", "5.1.02.04.01.0001", goods, 0.03, ""}, false},
	{lineTpl{"X.XX.01.2.03.06", "5.1.02.01.01.0004", goods, 0.012, ""}, true},
	{lineTpl{"X.XX.01.2.03.06", "5.1.02.03.02.0035", goods, 0.01, ""}, true},
	{lineTpl{"X.XX.01.2.03.08", "5.1.02.02.01.0030", goods, 0.02, ""}, true},
	{lineTpl{"X.XX.01.2.03.08", "5.1.02.02.01.0031", goods, 0.015, ""}, true},
	{lineTpl{"X.XX.01.2.03.28", "5.1.02.03.03.0001", goods, 0.015, ""}, true},
	{lineTpl{"X.XX.01.2.01.01", "5.1.02.01.01.0052", goods, 0.002, ""}, true},
	{lineTpl{"X.XX.01.2.01.05", "5.1.02.04.01.0003", goods, 0.002, ""}, true},
	{lineTpl{"X.XX.01.2.02.04", "5.1.02.01.01.0052", goods, 0.002, ""}, true},
	{lineTpl{"X.XX.01.2.04.11", "5.1.02.02.12.0003", goods, 0.005, ""}, true},
	{lineTpl{"X.XX.01.2.03.24", "5.2.02.10.01.0002", capital, 0.01, ""}, true},
	{lineTpl{"X.XX.01.2.03.24", "5.2.02.05.01.0005", capital, 0.004, ""}, true},
	{lineTpl{"X.XX.01.2.03.24", "5.2.02.05.02.0004", capital, 0.003, ""}, true},
	{lineTpl{"X.XX.01.2.03.25", "5.2.02.05.02.0001", capital, 0.005, ""}, true},
	{lineTpl{"X.XX.01.2.03.20", "5.2.02.02.01.0004", capital, 0.006, ""}, true},
}

// agency is an SKPD of one region.
type agency struct {
	code, name, unit string
	staff            float64
	lines            []lineTpl
	// district is set for a kecamatan office.
	district *district
}

// agencies lists the SKPDs of a region: the template agencies of its level
// (those of a regency or a city, or a province's), then in a regency or
// city one office per district (kecamatan), which in Permendagri 90/2019
// are agencies of their own under urusan 7.01.
func agencies(p *plan) []*agency {
	var out []*agency
	for _, t := range p.profile.agencies {
		if t.only != "" && t.only != p.region.Kind {
			continue
		}
		a := &agency{code: t.code, name: t.name, unit: t.unit, staff: t.staff, lines: t.lines}
		if a.code == rsud {
			a.name = fmt.Sprintf(a.name, p.short)
		}
		if a.code == pupr {
			// Road works beyond the planned projects, spread over the
			// region: they take what capital spending the projects leave.
			road := p.byLevel("5.2.04.01.01.0003", "5.2.04.01.01.0004", "5.2.04.01.01.0002")
			a.lines = append(slices.Clip(a.lines),
				lineTpl{p.levelSub("1.03.10.2.01.09"), road, capital, 5, "Rehabilitasi jalan tersebar di seluruh " + strings.ToLower(p.districtLabel)},
				lineTpl{p.levelSub("1.03.10.2.01.10"), road, capital, 4, "Pemeliharaan berkala jalan tersebar di seluruh " + strings.ToLower(p.districtLabel)})
			if p.level != province {
				// Pavements have no sub-activity of their own; regencies
				// and cities book them as road rehabilitation.
				a.lines = append(a.lines, lineTpl{"1.03.10.2.01.09", road, capital, 0.6, "Rehabilitasi trotoar dan jalur pedestrian jalan " + p.byLevel("kabupaten", "kota", "")})
			}
		}
		if a.code == "5.02.0.00.0.00.01.0000" && !p.separateRevenueOffice() {
			a.name = "Badan Pengelolaan Keuangan dan Pendapatan Daerah"
		}
		out = append(out, a)
		if a.code == "5.02.0.00.0.00.01.0000" && p.separateRevenueOffice() {
			out = append(out, &agency{code: "5.02.0.00.0.00.02.0000", name: "Badan Pendapatan Daerah", unit: "5.02", staff: 1.5})
		}
	}
	if p.level == province {
		return out // a province has no district offices
	}
	for i := range p.districts {
		d := &p.districts[i]
		a := &agency{
			code: fmt.Sprintf("7.01.0.00.0.00.%02d.0000", i+1), name: p.districtLabel + " " + d.name,
			unit: "7.01", staff: 0.25, district: d,
		}
		a.lines = []lineTpl{{"7.01.03.2.01.01", "5.1.02.01.01.0052", goods, 0.05, "Musrenbang kecamatan " + d.name}}
		if p.kota && len(d.villages) > 0 {
			a.lines = []lineTpl{{"7.01.03.2.02.02", "5.2.04.01.01.0004", capital, 0.3,
				"Peningkatan Jalan Lingkungan Kelurahan " + d.villages[0]}}
		}
		out = append(out, a)
	}
	return out
}

// find returns the agency with the given code.
func find(as []*agency, code string) *agency {
	for _, a := range as {
		if a.code == code {
			return a
		}
	}
	panic("demo: no agency " + code)
}

// pickAgency chooses an agency with probability proportional to its staff.
func pickAgency(rng *rand.Rand, as []*agency) *agency {
	total := 0.0
	for _, a := range as {
		total += a.staff
	}
	x := rng.Float64() * total
	for _, a := range as {
		if x -= a.staff; x < 0 {
			return a
		}
	}
	return as[len(as)-1]
}
