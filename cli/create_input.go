package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"enerflo-onboard/domain"
)

// maxInputBytes bounds a --from body and a password read from a file or stdin.
const maxInputBytes = 1 << 20

// draft builds the user from --from (if any), then every field flag that was
// actually given, then the password from its file or stdin.
func (o createOptions) draft(ctx context.Context) (domain.Draft, error) {
	if o.PasswordStdin && o.From == "-" {
		return domain.Draft{}, errors.New("--password-stdin and --from - both read stdin; put the password in a file and use --password-file")
	}
	if o.PasswordStdin && o.PasswordFile != "" {
		return domain.Draft{}, errors.New("use --password-file or --password-stdin, not both")
	}
	d := domain.NewDraft()
	if o.From != "" {
		data, err := o.readInput(ctx, o.From, "--from")
		if err != nil {
			return domain.Draft{}, err
		}
		if d, err = decodeDraft(data); err != nil {
			name := o.From
			if name == "-" {
				name = "stdin"
			}
			return domain.Draft{}, fmt.Errorf("the JSON in %s: %w", name, err)
		}
	}
	o.overrideWithFlags(&d)
	switch {
	case o.PasswordFile != "":
		pw, err := o.readInput(ctx, o.PasswordFile, "--password-file")
		if err != nil {
			return domain.Draft{}, err
		}
		if d.Password, err = passwordText(pw, o.PasswordFile); err != nil {
			return domain.Draft{}, err
		}
	case o.PasswordStdin:
		pw, err := o.readInput(ctx, "-", "--password-stdin")
		if err != nil {
			return domain.Draft{}, err
		}
		if d.Password, err = passwordText(pw, "stdin"); err != nil {
			return domain.Draft{}, err
		}
	}
	return d, nil
}

// overrideWithFlags copies the field flags the person gave over d: every
// field of domain.Fields with a flag, and --any-timezone.
func (o createOptions) overrideWithFlags(d *domain.Draft) {
	set := o.Set
	if set == nil {
		set = func(string) bool { return false }
	}
	for _, f := range domain.Fields {
		if f.Flag == "" || !set(f.Flag) {
			continue
		}
		switch f.Kind {
		case domain.TextKind:
			*f.Text(d) = *f.Text(&o.Fields)
		case domain.ListKind:
			*f.List(d) = *f.List(&o.Fields)
		case domain.BoolKind:
			*f.Bool(d) = *f.Bool(&o.Fields)
		}
	}
	if set(anyTimezoneFlag) {
		d.TimezoneOther = o.Fields.TimezoneOther
	}
}

// decodeDraft reads a JSON body with the API's field names (domain.Fields)
// into a draft that starts from the API's defaults; any other name is
// refused by name.
func decodeDraft(data []byte) (domain.Draft, error) {
	if first, again, ok := duplicateKey(data); ok {
		if first == again {
			return domain.Draft{}, fmt.Errorf("%q is given twice; give each field once, so there is no doubt which value is sent", first)
		}
		return domain.Draft{}, fmt.Errorf("%q and %q are the same field (names ignore case); give it once, so there is no doubt which value is sent", first, again)
	}
	// The draft has keys of its own (timezone_other) that are not the
	// API's: only the table's names are accepted. A body that is not one
	// object is left for the decoder to describe.
	var keys map[string]json.RawMessage
	if json.Unmarshal(data, &keys) == nil {
		for k := range keys {
			if !isFieldName(k) {
				return domain.Draft{}, unknownField(strconv.Quote(k))
			}
		}
		var err error
		if data, err = asLaravelReadsIt(keys); err != nil {
			return domain.Draft{}, err
		}
	}
	if !utf8.Valid(data) {
		return domain.Draft{}, errors.New("it holds bytes that are not UTF-8 text; save it as UTF-8")
	}
	d := domain.NewDraft()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return domain.Draft{}, jsonProblem(err)
	}
	if dec.More() {
		return domain.Draft{}, errors.New("there is more after the JSON object; give one user per file")
	}
	return d, nil
}

// asLaravelReadsIt rewrites a body's values the way Enerflo (Laravel)
// reads them, so a body Enerflo would take is taken: a boolean as 1, 0,
// "1" or "0", null or "" for its default, and manager_id as a number PHP
// reads as an integer (1042.0, 1.042e3). Text that is not UTF-8 is refused
// naming its field: the JSON decoder would turn it into U+FFFD silently.
func asLaravelReadsIt(keys map[string]json.RawMessage) ([]byte, error) {
	for k, raw := range keys {
		f, _ := domain.FieldNamed(fieldNameOf(k))
		if !utf8.Valid(raw) {
			return nil, fmt.Errorf("%s holds bytes that are not UTF-8 text (was the file saved in another encoding, like Windows-1252?); save it as UTF-8", f.Name)
		}
		switch {
		case f.Kind == domain.BoolKind:
			b, blank, ok := domain.LaravelBoolean(raw)
			switch {
			case !ok:
				return nil, fmt.Errorf("%s must be true or false (or 1 or 0), not %s", f.Name, domain.Truncate(string(bytes.TrimSpace(raw)), 40))
			case blank:
				delete(keys, k) // its default, as Enerflo reads null
			default:
				keys[k] = json.RawMessage(strconv.FormatBool(b))
			}
		case f.Name == domain.Named.ManagerID.Name && isJSONNumber(raw):
			if n, ok := domain.LaravelInteger(raw); ok {
				keys[k] = json.RawMessage(strconv.FormatInt(n, 10))
			}
		}
	}
	return json.Marshal(keys)
}

// fieldNameOf is the API's name of a key (matched ignoring case, as
// encoding/json matches it), or key itself.
func fieldNameOf(key string) string {
	for _, name := range domain.FieldNames() {
		if foldKey(name) == foldKey(key) {
			return name
		}
	}
	return key
}

func isJSONNumber(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9')
}

// isFieldName reports whether key names a field of domain.Fields, matched as
// encoding/json matches names (ignoring case).
func isFieldName(key string) bool {
	return slices.ContainsFunc(domain.FieldNames(), func(name string) bool { return foldKey(name) == foldKey(key) })
}

// unknownField refuses a key (quoted) that is not one of the API's names.
func unknownField(quoted string) error {
	return fmt.Errorf("unknown field %s; the fields are Enerflo's API names: %s", quoted, strings.Join(domain.FieldNames(), ", "))
}

// duplicateKey finds the first key an object in data gives twice, compared
// as encoding/json matches names to fields (ignoring case): the decoder
// would keep the last silently. It returns how the key was written first
// and again; invalid JSON is left for the decoder to describe.
func duplicateKey(data []byte) (first, again string, found bool) {
	type frame struct {
		keys      map[string]string // folded key -> as first written; nil in an array
		expectKey bool
	}
	var stack []*frame
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", "", false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if key, ok := tok.(string); ok && top != nil && top.keys != nil && top.expectKey {
			folded := foldKey(key)
			if prev, dup := top.keys[folded]; dup {
				return prev, key, true
			}
			top.keys[folded] = key
			top.expectKey = false
			continue
		}
		switch tok {
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			continue
		}
		if top != nil && top.keys != nil {
			top.expectKey = true // this value ends the member; a key comes next
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{keys: map[string]string{}, expectKey: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		}
		if len(stack) == 0 {
			return "", "", false // one scalar: nothing to repeat
		}
	}
}

// foldKey maps every rune to the smallest of its case-folding orbit, so
// keys encoding/json takes for one field ("email", "EMAIL", "firſt_name"
// with a long s) fold to one string.
func foldKey(s string) string {
	return strings.Map(func(r rune) rune {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		return m
	}, s)
}

// jsonProblem says what is wrong with a body in the API's terms, not Go's.
func jsonProblem(err error) error {
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Errorf("%s must be %s, not a JSON %s", typ.Field, jsonKind(typ.Type.String()), typ.Value)
	case errors.As(err, &typ):
		return errors.New("the body must be one JSON object, like {\"email\": \"rep@company.com\", \"roles\": [\"Sales Rep\"]}")
	case errors.As(err, &syn):
		return fmt.Errorf("not valid JSON at byte %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("not valid JSON: it ends before the object is closed")
	case errors.Is(err, io.EOF):
		return errors.New("it is empty; give a JSON object with at least email and roles")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return unknownField(strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(goType string) string {
	switch goType {
	case "bool":
		return "true or false"
	case "[]string":
		return "a list of strings, like [\"Sales Rep\"]"
	}
	return "a string"
}

// readInput reads a path, or stdin for "-", up to maxInputBytes; the read
// from stdin gives way to Ctrl-C.
func (o createOptions) readInput(ctx context.Context, path, flag string) ([]byte, error) {
	b, err := readFileOrStdin(ctx, o.In, path, maxInputBytes)
	switch {
	case errors.Is(err, errTooLarge):
		return nil, fmt.Errorf("%s: more than 1 MiB; is it the right file?", flag)
	case errors.Is(err, errNoStdin):
		return nil, fmt.Errorf("%s: %w", flag, err)
	case err != nil && path != "-" && !errors.Is(err, context.Canceled):
		return nil, fmt.Errorf("%s %s", flag, err)
	case err != nil && !errors.Is(err, context.Canceled):
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	return b, err
}

// errTooLarge and errNoStdin are readFileOrStdin's two refusals of its own.
var (
	errTooLarge = errors.New("the input is larger than it may be")
	errNoStdin  = errors.New("there is no stdin to read")
)

// readFileOrStdin reads path, or stdin for "-", up to limit bytes (more is
// errTooLarge); a read of stdin gives way to ctx (Ctrl-C). A file that
// cannot be opened says its path and why, without Go's "open" prefix.
func readFileOrStdin(ctx context.Context, stdin io.Reader, path string, limit int) ([]byte, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		defer f.Close()
		r = f
	} else if stdin == nil {
		return nil, errNoStdin
	}
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
		done <- result{b, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case res := <-done:
		switch {
		case res.err != nil:
			return nil, res.err
		case len(res.b) > limit:
			return nil, errTooLarge
		}
		return res.b, nil
	}
}

// passwordText takes the password as the file holds it, minus the one line
// ending editors and `echo` add.
func passwordText(b []byte, from string) (string, error) {
	pw := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if pw == "" {
		return "", fmt.Errorf("the password from %s is empty; leave out the password flag and the user picks their own", from)
	}
	return pw, nil
}
