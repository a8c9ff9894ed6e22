#!/usr/bin/env bash
# Certificates for mutual TLS between Coordinator nodes (Coordinator:Cluster:Tls): the operation's CA and
# one certificate per name, signed by it, for both ends of a link (serverAuth and clientAuth). Nodes check
# that a peer's certificate chains to the CA, not its host name, so one certificate per node or one shared
# node certificate both work.
#
#   deploy/tls/make-certs.sh [options] <out-dir> [<name>...]
#
# In <out-dir>:
#   ca.key, ca.crt        the CA (made when ca.key is absent; otherwise the existing CA signs)
#   <name>.key, <name>.crt  a node's key and certificate (new key each run), SAN DNS:<name>, DNS:localhost,
#                           IP:127.0.0.1 and any --san
# Keys are 0600, certificates 0644 (a folder it makes is 0755: nodes that mount it read their certificates,
# and only the owner of a key reads it).
#
# Options:
#   --new-ca        make a new CA even though <out-dir>/ca.key exists (the old pair is kept as
#                   ca.previous.key and ca.previous.crt, for the trust bundle of a CA rotation)
#   --rsa           RSA 3072 keys instead of EC P-256
#   --days N        node certificates' lifetime (default 397 days)
#   --ca-days N     a new CA's lifetime (default 3650 days)
#   --san ENTRY     another subjectAltName for every node certificate (DNS:… or IP:…), repeatable
#
# Rotation: run again with the same <out-dir> for new node certificates from the same CA; --new-ca (or a new
# <out-dir>) for a new CA. docs/operations.md says how to roll either out without losing the cluster.
set -euo pipefail

die() { printf 'make-certs.sh: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 2; }

new_ca=0 rsa=0 days=397 ca_days=3650 sans=()
while [ $# -gt 0 ]; do
  case "$1" in
    --new-ca) new_ca=1 ;;
    --rsa) rsa=1 ;;
    --days) [ $# -ge 2 ] || die "--days needs a number"; days=$2; shift ;;
    --ca-days) [ $# -ge 2 ] || die "--ca-days needs a number"; ca_days=$2; shift ;;
    --san) [ $# -ge 2 ] || die "--san needs DNS:… or IP:…"; sans+=("$2"); shift ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
  shift
done
[ $# -ge 1 ] || usage
out=$1; shift
[[ "$days" =~ ^[1-9][0-9]*$ && "$ca_days" =~ ^[1-9][0-9]*$ ]] || die "--days and --ca-days take whole numbers of days"
for san in "${sans[@]+"${sans[@]}"}"; do [[ "$san" =~ ^(DNS:[A-Za-z0-9*.-]+|IP:[0-9A-Fa-f.:]+)$ ]] || die "--san $san: DNS:name or IP:address"; done
for name in "$@"; do
  [[ "$name" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$ ]] || die "'$name' is not a host name (letters, digits, dots, dashes)"
  [ "$name" != ca ] && [ "$name" != ca.previous ] || die "'$name' is the CA's file name"
done
command -v openssl >/dev/null || die "openssl is needed"

[ -d "$out" ] || (umask 022 && mkdir -p "$out")
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

new_key() { # file
  if [ "$rsa" = 1 ]; then openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$1" 2>/dev/null
  else openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; fi
  chmod 600 "$1"
}

# Our own configuration: the system's openssl.cnf may add or clash with extensions.
cat >"$work/openssl.cnf" <<'CNF'
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
[ ca ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF

if [ -e "$out/ca.key" ] && [ "$new_ca" = 0 ]; then
  [ -e "$out/ca.crt" ] || die "$out/ca.key without ca.crt"
  # The CA that signs is ca.key with the first certificate of ca.crt: they must belong together.
  [ "$(openssl pkey -in "$out/ca.key" -pubout)" = "$(openssl x509 -in "$out/ca.crt" -noout -pubkey)" ] \
    || die "$out/ca.crt (its first certificate) does not belong to $out/ca.key"
  printf 'issuing from the existing CA in %s\n' "$out"
else
  if [ -e "$out/ca.key" ]; then
    [ ! -e "$out/ca.previous.key" ] || die "$out/ca.previous.key exists (the CA before last): move it away first"
    mv -f "$out/ca.key" "$out/ca.previous.key"
    mv -f "$out/ca.crt" "$out/ca.previous.crt" 2>/dev/null || true
    printf 'the old CA is now %s/ca.previous.{key,crt}\n' "$out"
  fi
  new_key "$work/ca.key"
  openssl req -config "$work/openssl.cnf" -new -x509 -key "$work/ca.key" -sha256 -days "$ca_days" \
    -subj "/O=Coordinator/CN=Coordinator operation CA $(date -u +%Y-%m-%dT%H:%MZ)" \
    -set_serial "0x$(openssl rand -hex 16)" -extensions ca -out "$work/ca.crt"
  mv "$work/ca.key" "$out/ca.key"
  mv "$work/ca.crt" "$out/ca.crt"
  chmod 600 "$out/ca.key"
  chmod 644 "$out/ca.crt"
  printf 'made a new CA: %s/ca.crt (its key %s/ca.key: keep it offline once the nodes have their certificates)\n' "$out" "$out"
fi

for name in "$@"; do
  alt="DNS:$name,DNS:localhost,IP:127.0.0.1"
  for san in "${sans[@]+"${sans[@]}"}"; do alt+=",$san"; done
  cat >"$work/$name.ext" <<EXT
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = $alt
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EXT
  new_key "$work/$name.key"
  openssl req -config "$work/openssl.cnf" -new -key "$work/$name.key" -subj "/O=Coordinator/CN=$name" -out "$work/$name.csr"
  openssl x509 -req -in "$work/$name.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -sha256 -days "$days" \
    -set_serial "0x$(openssl rand -hex 16)" -extfile "$work/$name.ext" -out "$work/$name.crt" 2>/dev/null \
    || die "could not sign $name's certificate"
  openssl verify -CAfile "$out/ca.crt" -purpose sslclient "$work/$name.crt" >/dev/null \
    && openssl verify -CAfile "$out/ca.crt" -purpose sslserver "$work/$name.crt" >/dev/null \
    || die "$name's certificate does not verify against $out/ca.crt"
  mv -f "$work/$name.key" "$out/$name.key"
  mv -f "$work/$name.crt" "$out/$name.crt"
  chmod 600 "$out/$name.key"
  chmod 644 "$out/$name.crt"
  printf '%s: %s/%s.crt and %s/%s.key (%s)\n' "$name" "$out" "$name" "$out" "$name" "$alt"
done
