"""The ``cloudops`` command line."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, entry_points
from importlib.metadata import version as package_version

import typer

from agents.cli import eval_command, llm_check
from analysis.detect_cli import detect
from analysis.forecast_cli import forecast
from analysis.rca_cli import rca
from config.settings import ConfigError, load_settings
from knowledge.cli import kb_app

__all__ = ["app", "main"]

app = typer.Typer(
    help="CloudOps Bot: Kubernetes ChatOps on Feishu.", no_args_is_help=True, add_completion=False
)


@app.command()
def version() -> None:
    """Print the installed version."""
    try:
        typer.echo(package_version("cloudops-bot"))
    except PackageNotFoundError:
        typer.echo("unknown")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8080, "--port", help="Port to listen on."),
    internal_port: int | None = typer.Option(
        None,
        "--internal-port",
        help="Also listen here; /alertmanager is served only on this port "
        "(default: server.internal_port).",
    ),
) -> None:
    """Run the bot (webhook or long connection, per FEISHU_TRANSPORT)."""
    import uvicorn

    from bot.app import create_app
    from bot.app.capabilities import default_capabilities
    from bot.app.doctor import doctor_capability
    from bot.logging_setup import configure_logging

    try:
        settings = load_settings()
        if not settings.has_feishu_credentials:
            typer.echo(
                "No Feishu credentials: set FEISHU_APP_ID and FEISHU_APP_SECRET (see README). "
                "To try the bot without a Feishu app, run: cloudops sandbox",
                err=True,
            )
            raise typer.Exit(2)
        settings.require_feishu()
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from None
    if internal_port is not None:
        settings.server.internal_port = internal_port
    configure_logging()
    capabilities = [*default_capabilities(), doctor_capability]  # doctor: last
    application = create_app(settings, capabilities=capabilities)
    config = uvicorn.Config(
        application, host=host, port=port, log_level="warning", access_log=False
    )
    sockets = [config.bind_socket()]
    if settings.server.internal_port is not None:
        config.port = settings.server.internal_port
        sockets.append(config.bind_socket())
    uvicorn.Server(config).run(sockets=sockets)


app.command("rca", help="Rank root-cause candidates in a metrics CSV (offline).")(rca)
app.command("detect", help="Score anomalies in a timestamp,value CSV (causal).")(detect)
app.command("forecast", help="Forecast a timestamp,value CSV with an 80% interval.")(forecast)
app.add_typer(kb_app, name="kb")
llm_app = typer.Typer(help="The LLM endpoint(s) the agents use.", no_args_is_help=True)
llm_app.command("check", help="Call the endpoint(s): model, latency, tool calling.")(llm_check)
app.add_typer(llm_app, name="llm")
app.command("eval", help="Run the agent scenario suite against a model.")(eval_command)


@app.command()
def doctor(
    as_json: bool = typer.Option(False, "--json", help='Print {"checks": [...]} as JSON.'),
) -> None:
    """Check everything a first install needs; exit 1 when a check fails."""
    import asyncio
    import json

    from bot.doctor import DoctorInput, exit_code, run_doctor, to_json
    from bot.doctor.render import render_text

    try:
        settings = load_settings()
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from None
    inputs = DoctorInput(settings, timeout=settings.doctor.timeout_seconds)
    checks = asyncio.run(run_doctor(inputs))
    if as_json:
        typer.echo(json.dumps(to_json(checks), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_text(checks))
    raise typer.Exit(exit_code(checks))


clusters_app = typer.Typer(
    help="The configured clusters (clusters: in the CLOUDOPS_CONFIG file).", no_args_is_help=True
)
app.add_typer(clusters_app, name="clusters")


@clusters_app.command("check")
def clusters_check(
    as_json: bool = typer.Option(False, "--json", help='Print {"checks": [...]} as JSON.'),
) -> None:
    """Per cluster: the API server answers, the bot's RBAC rights, Prometheus answers a
    query; exit 1 when a check fails."""
    import asyncio
    import json

    from bot.app.cluster_checks import (
        check_clusters,
        entry_secrets,
        exit_code,
        render_table,
        to_json,
    )
    from config.scrub import register_secrets

    try:
        settings = load_settings()
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from None
    register_secrets([*settings.secret_values(), *entry_secrets(settings)])
    rows = asyncio.run(check_clusters(settings, timeout=settings.doctor.timeout_seconds))
    if as_json:
        typer.echo(json.dumps(to_json(rows), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_table(rows))
    raise typer.Exit(exit_code(rows))


def _add_plugin_commands() -> None:
    """Commands other installed packages contribute (entry-point group ``cloudops.commands``).

    ``cloudops sandbox`` comes from the ``sandbox`` package this way, so the product
    packages never import the simulated world; an image without it has no such command.
    """
    for entry in entry_points(group="cloudops.commands"):
        app.command(entry.name)(entry.load())


def main() -> None:
    _add_plugin_commands()
    app()
