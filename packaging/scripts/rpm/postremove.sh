#!/bin/sh
# rpm %postun. On an upgrade (1): restart a running service on the new
# binary (Fedora's %systemd_postun_with_restart). On an erase (0): rpm has
# no purge, so what a deb purge removes goes here: the API key and the
# drafts (people's names, emails, phones), with /etc/enerflo-onboard when
# nothing else is left in it (rpm keeps an edited config.toml or
# authorized_keys as .rpmsave). The host key and the audit log in
# /var/lib/enerflo-onboard stay, as records, until removed by hand; so
# does the account. README.md, "Uninstall", says the same.
set -e
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
	if [ "$1" -ge 1 ]; then
		systemctl try-restart enerflo-onboard.service >/dev/null 2>&1 || true
	fi
fi
if [ "$1" -eq 0 ]; then
	rm -f /etc/enerflo-onboard/api-key
	rmdir /etc/enerflo-onboard 2>/dev/null || true
	rm -rf /var/lib/enerflo-onboard/drafts
fi
exit 0
