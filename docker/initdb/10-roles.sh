#!/bin/sh
# The service's two roles on a fresh PostgreSQL volume (README, Security): clinic_owner owns the database
# and runs the migrations; clinic_app serves requests and can only read and write rows.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE clinic_owner LOGIN PASSWORD '${CLINIC_OWNER_PASSWORD}';
CREATE ROLE clinic_app LOGIN PASSWORD '${CLINIC_APP_PASSWORD}';
CREATE DATABASE clinic OWNER clinic_owner;
SQL
