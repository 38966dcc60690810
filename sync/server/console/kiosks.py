"""Kiosks: add one (its token and enrolment QR code shown once), list, revoke."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import RedirectResponse, Response

from sync.enrolment import enrolment_string
from sync.server import devices
from sync.server.console import queries
from sync.server.console.chart import qr_svg
from sync.server.console.deps import ConfigDep, DbDep, FormDep, Organiser, audit_action
from sync.server.console.render import page
from sync.server.models import Device
from sync.server.web.address import public_base_url
from sync.server.web.language import Words, page_language

router = APIRouter(prefix="/console/kiosks")


@router.get("")
def kiosk_list(request: Request, db: DbDep, login: Organiser) -> Response:
    return page(request, "kiosks.html", login=login, kiosks=queries.kiosks(db), error=None)


@router.post("")
def add_kiosk(
    request: Request, db: DbDep, config: ConfigDep, login: Organiser, form: FormDep
) -> Response:
    try:
        device, token = devices.add_device(db, name=form.get("name", ""))
    except devices.DeviceError:
        words = Words(page_language(request))
        error = words("console.kiosks.bad_name")
        return page(
            request,
            "kiosks.html",
            login=login,
            kiosks=queries.kiosks(db),
            error=error,
            status_code=400,
        )
    audit_action(request, config, db, login, action="kiosk.added", detail=device.name)
    db.commit()
    server = public_base_url(request)
    code = enrolment_string(server, token)
    return page(
        request,
        "kiosk_added.html",
        login=login,
        name=device.name,
        token=token,
        server=server,
        code=code,
        qr=qr_svg(code),
    )


def _device(db: DbDep, device_id: int) -> Device:
    device = db.get(Device, device_id)
    if device is None:
        raise HTTPException(404, "no such kiosk")
    return device


@router.get("/{device_id}/revoke")
def confirm_revoke(request: Request, db: DbDep, login: Organiser, device_id: int) -> Response:
    return page(request, "kiosk_revoke.html", login=login, device=_device(db, device_id))


@router.post("/{device_id}/revoke")
def revoke(
    request: Request,
    db: DbDep,
    config: ConfigDep,
    login: Organiser,
    form: FormDep,
    device_id: int,
) -> Response:
    device = _device(db, device_id)
    if form.get("confirm") == "yes":
        devices.revoke_device(db, name=device.name)
        audit_action(request, config, db, login, action="kiosk.revoked", detail=device.name)
        db.commit()
    return RedirectResponse("/console/kiosks", status_code=303)
