"""A FastAPI app serving only the archive API (``uvicorn archive.app:app --factory``)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from archive.access import refuse_env_token
from archive.budget import BudgetMiddleware, time_limit_from_env
from archive.http import create_router
from pipeline.config import PIPELINE_VERSION


def create_app(location: str | None = None, *, public_read: bool = False) -> FastAPI:
    """The API app: callers need a token from ``daftar token create`` (``public_read``:
    anyone may read). Refuses to start while the retired ``DAFTAR_API_TOKEN`` is set."""
    refuse_env_token()
    router = create_router(location, public_read=public_read)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        router.close_archive()  # type: ignore[attr-defined]

    app = FastAPI(title="Daftar archive API", version=PIPELINE_VERSION, lifespan=lifespan,
                  description="Searchable records of government circulars, memoranda, "
                              "notifications and letters.")
    app.include_router(router, prefix="/api/v1")
    app.add_middleware(BudgetMiddleware, seconds=time_limit_from_env())

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return JSONResponse({"detail": problems}, status_code=400)

    return app
