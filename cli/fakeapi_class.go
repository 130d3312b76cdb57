package cli

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"slices"

	"enerflo-onboard/fakeenerflo"
	"enerflo-onboard/wire"
)

// publicFakeListen is fake-api's --listen with --public and no --listen:
// every interface, so trainees' laptops can reach it.
const publicFakeListen = ":8080"

// reachableURLs are the base URLs other machines can use for a fake
// listening at base: base itself when it listens on one address of the
// network, every address of this machine (addrs) when it listens on all of
// them, none when it listens on loopback. IPv4 first: it is what people
// type.
func reachableURLs(base string, addrs []net.Addr) []string {
	u, err := url.Parse(base)
	if err != nil {
		return nil
	}
	host, port := u.Hostname(), u.Port()
	ip, err := netip.ParseAddr(host)
	switch {
	case err != nil || ip.IsLoopback():
		return nil
	case !ip.IsUnspecified():
		return []string{base}
	}
	var v4, v6 []string
	for _, a := range addrs {
		p, ok := prefixOf(a)
		if !ok || p.IsLoopback() || p.IsLinkLocalUnicast() || !p.IsGlobalUnicast() {
			continue
		}
		s := "http://" + net.JoinHostPort(p.Unmap().String(), port)
		if p.Unmap().Is4() {
			v4 = append(v4, s)
		} else {
			v6 = append(v6, s)
		}
	}
	return slices.Compact(append(v4, v6...))
}

// prefixOf is an interface address's IP.
func prefixOf(a net.Addr) (netip.Addr, bool) {
	switch v := a.(type) {
	case *net.IPNet:
		ip, ok := netip.AddrFromSlice(v.IP)
		return ip.Unmap(), ok
	case *net.IPAddr:
		ip, ok := netip.AddrFromSlice(v.IP)
		return ip.Unmap(), ok
	}
	p, err := netip.ParsePrefix(a.String())
	return p.Addr(), err == nil
}

// localURL is base as this machine reaches it: a fake on every interface
// answers on loopback, where the trainer's reset must come from.
func localURL(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil && ip.IsUnspecified() {
		u.Host = net.JoinHostPort("127.0.0.1", u.Port())
	}
	return u.String()
}

// writeReach says which URL to hand out: with --public the machine's
// addresses and a word on the firewall, else that the URL is this
// machine's alone. It returns the URL the run lines use.
func writeReach(w io.Writer, base string, public bool, addrs []net.Addr) string {
	urls := reachableURLs(base, addrs)
	if !public || len(urls) == 0 {
		if public {
			fmt.Fprintf(w, "\nNo network address of this machine was found; trainees cannot reach %s.\n", base)
		} else {
			fmt.Fprintf(w, "\n%s works on this machine only: trainees' laptops cannot reach it. For a class on\n", base)
			fmt.Fprintln(w, "their own laptops, start it with --public (every interface) and give them this machine's address.")
		}
		return localURL(base)
	}
	_, port, _ := net.SplitHostPort(mustHost(base))
	fmt.Fprintf(w, "\nGive trainees this machine's address: %s\n", urls[0])
	for _, u := range urls[1:] {
		fmt.Fprintf(w, "  (or, on another network of this machine: %s)\n", u)
	}
	fmt.Fprintf(w, "They reach it only if this machine's firewall lets TCP port %s in, from the same network:\n", port)
	fmt.Fprintln(w, "  Windows: choose Allow (private networks) when Windows Defender Firewall asks")
	fmt.Fprintln(w, "  macOS:   System Settings › Network › Firewall, allow enerflo-onboard")
	fmt.Fprintf(w, "  Linux:   for example sudo ufw allow %s/tcp\n", port)
	return urls[0]
}

func mustHost(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return u.Host
}

// writeRunLines prints the line each trainee pastes, in each shell.
func writeRunLines(w io.Writer, base, key string) {
	vars := []wire.EnvVar{{Name: wire.EnvBaseURL, Value: base}, {Name: wire.EnvAPIKey, Value: key}}
	for _, sh := range wire.Shells {
		fmt.Fprintf(w, "  %-10s  %s\n", sh, sh.RunWith(vars, "enerflo-onboard"))
	}
}

// writeClassBanner is the trainer's handout: the URL, a key per trainee,
// the line to run in each shell, and how to reset the class.
func writeClassBanner(w io.Writer, base string, public bool, addrs []net.Addr, c *fakeenerflo.Class) {
	fmt.Fprintf(w, "Fake Enerflo for a class: each trainee has a key and an org (%s) of their own\n", fakeenerflo.DemoOrgName)
	fmt.Fprintln(w, "This is a FAKE: nothing sent here reaches Enerflo, and users it creates live in memory until it stops.")
	fmt.Fprintf(w, "\n  Listening on  %s\n", base)
	give := writeReach(w, base, public, addrs)
	fmt.Fprintln(w, "\n  Trainee  API key")
	for i, k := range c.Keys() {
		fmt.Fprintf(w, "  %7d  %s\n", i+1, k)
	}
	fmt.Fprintln(w, "\nEach trainee runs, in their shell, with their own key:")
	writeRunLines(w, give, "<their key>")
	local := localURL(base)
	fmt.Fprintf(w, "\nBetween classes, reset every org (the keys stay), from this machine: kill -HUP %d, or\n", os.Getpid())
	fmt.Fprintf(w, "  curl -X POST -H 'api-key: %s' %s%s\n", c.TrainerKey(), local, fakeenerflo.ResetPath)
	fmt.Fprintf(w, "  Invoke-RestMethod -Method Post -Headers @{'api-key'='%s'} %s%s   (PowerShell)\n", c.TrainerKey(), local, fakeenerflo.ResetPath)
}

// classRequester names who sent a request to a class, for the log: a
// trainee by number, the trainer's reset, or a key the class does not know.
func classRequester(c *fakeenerflo.Class) func(r *http.Request) string {
	return func(r *http.Request) string {
		switch {
		case r.URL.Path == fakeenerflo.ResetPath && c.IsTrainer(r):
			return "trainer: reset of every org"
		case r.URL.Path == fakeenerflo.ResetPath:
			return "reset refused (not the trainer's key, or not from this machine)"
		case c.Trainee(r) > 0:
			return fmt.Sprintf("trainee %02d", c.Trainee(r))
		}
		return "unknown key"
	}
}
