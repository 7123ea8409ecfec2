#!/usr/bin/env bash
# Creates the secrets the compose file needs into ./secrets (mode 600) and their hashes into ./.env.
# For trying the stack: a throwaway CA issues the TLS certificates. In production, use your own CA and a
# secret manager, and keep these files out of version control (they are git-ignored).
set -euo pipefail
cd "$(dirname "$0")"
umask 077
mkdir -p secrets
cd secrets

rand() { openssl rand -hex "$1"; }
sha() { printf '%s' "$1" | openssl dgst -sha256 -r | cut -d' ' -f1; }

[ -f ca.key ] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
  -subj "/CN=healthcare-gateway dev CA" -keyout ca.key -out ca.crt 2>/dev/null

issue() { # name, DNS names
  local name=$1; shift
  [ -f "$name.crt" ] && return
  local san; san=$(printf 'DNS:%s,' "$@"); san=${san%,}
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" -keyout "$name.key" -out "$name.csr" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 397 -out "$name.crt" \
    -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth' "$san") 2>/dev/null
  rm -f "$name.csr"
}
issue gateway gateway localhost
issue scoring scoring
issue postgres postgres

# The Data Protection key ring is encrypted at rest with this certificate's key.
[ -f dataprotection.key ] || openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=gateway data protection" \
  -keyout dataprotection.key -out dataprotection.crt 2>/dev/null
# Audit checkpoints are signed with this ECDSA P-256 key; give verifiers checkpoint-signing.pub.pem.
[ -f checkpoint-signing.pem ] || { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out checkpoint-signing.pem;
  openssl pkey -in checkpoint-signing.pem -pubout -out checkpoint-signing.pub.pem; }

[ -f postgres_password ] || rand 24 > postgres_password
[ -f ingest_token ] || rand 32 > ingest_token
[ -f pseudonym_demo_dental ] || openssl rand -base64 32 > pseudonym_demo_dental
[ -f demo_write_key ] || echo "wk_$(rand 24)" > demo_write_key
[ -f gateway_admin_key ] || echo "ak_$(rand 24)" > gateway_admin_key
[ -f scoring_api_key ] || echo "sk_$(rand 24)" > scoring_api_key
# The containers run as a non-root user: make the mounted secrets readable to it.
chmod 644 ./*.crt gateway.key scoring.key postgres.key dataprotection.key checkpoint-signing.pem checkpoint-signing.pub.pem postgres_password ingest_token pseudonym_demo_dental

cd ..
cat > .env <<ENV
DEMO_WRITE_KEY_SHA256=$(sha "$(cat secrets/demo_write_key)")
GATEWAY_ADMIN_KEY_SHA256=$(sha "$(cat secrets/gateway_admin_key)")
SCORING_API_KEY_SHA256=$(sha "$(cat secrets/scoring_api_key)")
SCORING_INGEST_TOKEN_SHA256=$(sha "$(cat secrets/ingest_token)")
ENV
echo "Secrets in docker/secrets, hashes in docker/.env. Demo write key: $(cat secrets/demo_write_key)"
