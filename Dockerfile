# dossier in a container, for a computer with Docker and nothing else:
#
#   docker build -t dossier .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD":/site dossier build
#
# The first stage compiles the release binary; the second holds only that
# binary and the C libraries it links to, and runs it as a user who is not
# root, in /site (where the dossier's folder is mounted).

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked \
    && cp target/release/dossier /usr/local/bin/dossier

FROM debian:bookworm-slim
RUN useradd --no-log-init --uid 10001 --user-group --no-create-home dossier
COPY --from=build /usr/local/bin/dossier /usr/local/bin/dossier
USER 10001:10001
WORKDIR /site
ENTRYPOINT ["dossier"]
CMD ["--help"]
