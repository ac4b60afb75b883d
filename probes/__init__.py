"""Network probes of one site: DNS lookups and timed homepage loads over a chosen address.

The availability probe (AVAIL-1) and the IPv6 probe (IPV6-1..6) are built from these
primitives. Every lookup goes to the resolver it is given, and every fetch connects to
the address it is given, so IPv4 and IPv6 can be probed separately for the same URL.
"""
