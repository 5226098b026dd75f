# Harbinger behind Varnish: the reference setup (Varnish 7, Debian's varnish package).
#
#   varnishd -a :80 -f /etc/varnish/harbinger.vcl -s malloc,256m
#   CDN_PURGE_URL=http://127.0.0.1:80/ CDN_PURGE_STYLE=varnish   (in Harbinger's environment)
#
# What Harbinger promises and this file relies on:
# - Anonymous pages say `Cache-Control: public, max-age=60, s-maxage=N,
#   stale-while-revalidate=M`; Varnish keeps them for s-maxage and serves them
#   stale for up to M seconds while it fetches a fresh copy (Varnish reads
#   stale-while-revalidate into the grace).
# - Pages for signed-in readers, staff and forms say `private, no-store` (or set a
#   cookie): Varnish's built-in logic never stores those.
# - Every cacheable answer names what it shows in `Surrogate-Key` (space-separated:
#   `site home a:<article id> s:<section> ...`). When content changes, Harbinger's
#   job queue sends `PURGE /` (BAN works too) with the changed keys in `X-Purge-Keys`, and every stored
#   page showing one of them is dropped (the ban lurker or the next request does it).
#
# The backend below is replaced with your Harbinger's address (the tests substitute
# the port they started the app on).
vcl 4.1;

import std;

backend harbinger {
  .host = "127.0.0.1";
  .port = "3000";
}

# Who may purge: Harbinger's servers (and its worker). Add their addresses here.
acl purgers {
  "127.0.0.1";
  "::1";
}

sub vcl_recv {
  if (req.method == "BAN" || req.method == "PURGE") {
    if (client.ip !~ purgers) {
      return (synth(403, "Forbidden"));
    }
    if (!req.http.X-Purge-Keys || req.http.X-Purge-Keys !~ "^[A-Za-z0-9:._ -]+$") {
      return (synth(400, "X-Purge-Keys names the surrogate keys to purge"));
    }
    # Keys hold letters, digits and : . _ - only; a dot is escaped and the keys
    # become one alternation matched as whole words of the stored Surrogate-Key.
    set req.http.X-Purge-Pattern = regsuball(req.http.X-Purge-Keys, "^ +| +$", "");
    set req.http.X-Purge-Pattern = regsuball(req.http.X-Purge-Pattern, "[.]", "\\.");
    set req.http.X-Purge-Pattern = regsuball(req.http.X-Purge-Pattern, " +", "|");
    # Only obj.* in the expression, so the ban lurker can clear old objects in the background.
    if (std.ban("obj.http.Surrogate-Key ~ (^|\s)(" + req.http.X-Purge-Pattern + ")(\s|$)")) {
      return (synth(200, "Purged"));
    }
    return (synth(400, std.ban_error()));
  }

  if (req.method != "GET" && req.method != "HEAD") {
    # Forms, sign-in, the newsroom's saves: always to Harbinger, with their cookies.
    return (pass);
  }

  # A signed-in reader or staff member: their pages are their own. (Harbinger
  # marks them private anyway; passing here also skips the lookup.)
  if (req.http.Cookie ~ "(^|;\s*)hb_session=") {
    return (pass);
  }
  # The wall's meter counts a visitor's free articles in a cookie; its answers are
  # private, and stripping the cookie would give every visitor endless free articles.
  if (req.url ~ "^/articles/" && req.http.Cookie ~ "(^|;\s*)hb_meter=") {
    return (pass);
  }
  # The staff and account areas are never cached; pass without looking.
  if (req.url ~ "^/(newsroom|account|api|judging)(/|\?|$)") {
    return (pass);
  }

  # Any other cookie (hb_csrf from a form the visitor saw, analytics cookies set
  # by scripts) does not change an anonymous page, so it is dropped: otherwise
  # Vary: Cookie would give each visitor a copy of their own. A form page read
  # without its CSRF cookie gets a fresh token and cookie, and is private.
  unset req.http.Cookie;
  return (hash);
}

sub vcl_backend_response {
  # Keep Harbinger's answers for s-maxage (Varnish reads it before max-age) and
  # serve them stale while revalidating, as stale-while-revalidate says. Without
  # a stale-while-revalidate, allow a short grace so a slow backend is hidden.
  if (beresp.http.Cache-Control !~ "stale-while-revalidate") {
    set beresp.grace = 10s;
  }
  # Keep stale objects a little longer, for If-None-Match revalidation against Harbinger.
  set beresp.keep = 1h;
}

sub vcl_deliver {
  # For people and tests: was this a hit? (X-Varnish also carries two ids on a hit.)
  if (obj.hits > 0) {
    set resp.http.X-Cache = "HIT";
  } else {
    set resp.http.X-Cache = "MISS";
  }
  # Browsers need neither the keys nor the tags; the stored object keeps them for bans.
  if (!req.http.X-Debug-Keys) {
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
  }
}
