package intake

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Feeds come from Excel and from government exports as much as from
// programs: comma, semicolon (Excel with an Indonesian locale), tab or pipe
// separated; UTF-8 with or without a BOM, or Windows-1252; CRLF or LF line
// ends. The delimiter is read from the header line and the encoding from
// the first 64 KiB, unless the sender declares it (?encoding=).

// sniffBytes is how much of a feed is looked at to recognise its dialect.
const sniffBytes = 64 << 10

// delimiters are the separators recognised, the first winning ties.
var delimiters = []byte{',', ';', '\t', '|'}

// EncodingError says where a feed's bytes stop being text in its encoding.
type EncodingError struct {
	// Offset counts bytes from the start of the file; Line counts lines
	// from 1 (a CSV row, unless a quoted cell spans lines).
	Offset   int64
	Line     int
	Byte     byte
	Encoding string
}

func (e *EncodingError) Error() string {
	return fmt.Sprintf("byte 0x%02X at offset %d is not valid %s", e.Byte, e.Offset, e.Encoding)
}

// openCSV returns a CSV reader over a feed's text. declared is the encoding
// the sender named ("" to detect). A detected Windows-1252 is a warning in
// rep; an unknown declared encoding is an error, and the reader is nil.
func openCSV(in io.Reader, declared string, rep *Report) *csvRows {
	br := bufio.NewReaderSize(in, sniffBytes)
	sample, err := br.Peek(sniffBytes)
	atEOF := err != nil
	var text io.Reader
	switch enc := normalizeEncoding(declared); {
	case bytes.HasPrefix(sample, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		text = &utf8Check{r: br, off: 3}
	case enc == "windows-1252":
		text = &win1252{r: br}
	case enc == "" && !validPrefix(sample, atEOF):
		text = &win1252{r: br}
		rep.AddWarning(FileProblem("encoding_detected",
			"berkas bukan UTF-8 yang sah, dibaca sebagai Windows-1252 (Excel); kirim dengan ?encoding=utf-8 bila keliru",
			"the file is not valid UTF-8 and was read as Windows-1252 (Excel); send it with ?encoding=utf-8 if that is wrong"))
	case enc == "" || enc == "utf-8":
		text = &utf8Check{r: br}
	default:
		rep.AddError(FileProblem("encoding_unknown",
			fmt.Sprintf("pengodean %q tidak dikenal; gunakan utf-8 atau windows-1252", declared),
			fmt.Sprintf("unknown encoding %q; use utf-8 or windows-1252", declared)))
		return nil
	}
	// The limit sits under the buffer the CSV reader reads from, which
	// holds at most sniffBytes beyond what the reader has taken.
	lim := &limitReader{r: text, max: maxRecordBytes + sniffBytes}
	tr := bufio.NewReaderSize(lim, sniffBytes)
	head, _ := tr.Peek(sniffBytes)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	cr := csv.NewReader(tr)
	cr.Comma = rune(sniffDelimiter(head))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvRows{cr: cr, lim: lim}
}

// csvRows reads a CSV's records, refusing one longer than maxRecordBytes
// before the CSV reader holds it whole: a line of 60 MB, or a quote left
// open to the end of the file, stops at the limit.
type csvRows struct {
	cr  *csv.Reader
	lim *limitReader
	n   int   // records read
	end int64 // where the last record ended
}

func (c *csvRows) Read() ([]string, error) {
	rec, err := c.cr.Read()
	c.n++
	if errors.Is(err, errOverLimit) {
		return nil, recordTooLarge(c.n, csvRecord, 0)
	}
	if err != nil {
		return rec, err
	}
	off := c.cr.InputOffset()
	if n := off - c.end; n > maxRecordBytes {
		return nil, recordTooLarge(c.n, csvRecord, n)
	}
	c.end, c.lim.start = off, off
	return rec, nil
}

func normalizeEncoding(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return ""
	case "utf-8", "utf8":
		return "utf-8"
	case "windows-1252", "cp1252", "win1252", "latin1", "iso-8859-1":
		// Latin-1 feeds are Windows-1252 in practice: the bytes
		// 0x80–0x9F are its quotes and dashes, not control codes.
		return "windows-1252"
	}
	return s
}

// sniffDelimiter returns the separator used most in a header line outside
// quotes; a comma when there is none.
func sniffDelimiter(line []byte) byte {
	var counts [256]int
	quoted := false
	for _, b := range line {
		if b == '"' {
			quoted = !quoted
		} else if !quoted {
			counts[b]++
		}
	}
	best := delimiters[0]
	for _, d := range delimiters[1:] {
		if counts[d] > counts[best] {
			best = d
		}
	}
	return best
}

// validPrefix reports whether sample is valid UTF-8, ignoring a rune cut
// at its end when more follows.
func validPrefix(sample []byte, atEOF bool) bool {
	if !atEOF {
		sample = sample[:len(sample)-incompleteTail(sample)]
	}
	return utf8.Valid(sample)
}

// incompleteTail returns how many bytes at the end of b start a rune that
// b does not hold in full.
func incompleteTail(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if utf8.FullRune(b[i:]) {
				return 0
			}
			return len(b) - i
		}
	}
	return 0
}

// utf8Check passes bytes through, failing with an EncodingError at the
// first byte that is not UTF-8: a feed is never silently altered.
type utf8Check struct {
	r    io.Reader
	off  int64
	line int
	tail []byte
	buf  []byte
	err  error
}

func (c *utf8Check) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.r.Read(p)
	c.buf = append(append(c.buf[:0], c.tail...), p[:n]...)
	chunk := c.buf
	start := c.off - int64(len(c.tail))
	keep := 0
	if err == nil {
		keep = incompleteTail(chunk)
	}
	for i := 0; i < len(chunk)-keep; {
		r, size := utf8.DecodeRune(chunk[i:])
		if r == utf8.RuneError && size <= 1 {
			c.err = &EncodingError{Offset: start + int64(i), Line: c.line + 1 + bytes.Count(chunk[:i], []byte{'\n'}), Byte: chunk[i], Encoding: "UTF-8"}
			return 0, c.err
		}
		i += size
	}
	c.line += bytes.Count(p[:n], []byte{'\n'})
	c.tail = append(c.tail[:0], chunk[len(chunk)-keep:]...)
	c.off += int64(n)
	return n, err
}

// win1252Runes are the characters of bytes 0x80–0x9F in Windows-1252;
// zero marks the five bytes it leaves undefined.
var win1252Runes = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}

// win1252 decodes Windows-1252 to UTF-8.
type win1252 struct {
	r    io.Reader
	off  int64
	line int
	in   []byte
	out  []byte
	pos  int
	err  error
}

func (d *win1252) Read(p []byte) (int, error) {
	for d.pos == len(d.out) {
		if d.err != nil {
			return 0, d.err
		}
		if d.in == nil {
			d.in = make([]byte, 16<<10)
		}
		var n int
		n, d.err = d.r.Read(d.in)
		d.out, d.pos = d.out[:0], 0
		for i, b := range d.in[:n] {
			switch {
			case b < 0x80:
				d.out = append(d.out, b)
				if b == '\n' {
					d.line++
				}
			case b < 0xA0:
				r := win1252Runes[b-0x80]
				if r == 0 {
					d.err = &EncodingError{Offset: d.off + int64(i), Line: d.line + 1, Byte: b, Encoding: "Windows-1252"}
					d.out = d.out[:0]
					return 0, d.err
				}
				d.out = utf8.AppendRune(d.out, r)
			default:
				d.out = utf8.AppendRune(d.out, rune(b))
			}
		}
		d.off += int64(n)
	}
	n := copy(p, d.out[d.pos:])
	d.pos += n
	return n, nil
}
