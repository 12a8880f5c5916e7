"""The loopback endpoint through which embedded workers hand live events to the web process."""

import hmac
import json

from channels.layers import channel_layers
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from designer.live.outlet import EVENTS_MESSAGE_TYPE, embedded_endpoint, run_group


@csrf_exempt
@require_POST
async def receive_event(request: HttpRequest) -> HttpResponse:
    endpoint = embedded_endpoint()
    presented = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if endpoint is None or not hmac.compare_digest(presented, endpoint["token"]):
        return JsonResponse({"detail": "not allowed"}, status=403)
    try:
        body = json.loads(request.body)
        run_id, events = int(body["run"]), [dict(event) for event in body["events"]]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": "expected {run, events: [event, ...]}"}, status=400)
    message = {"type": EVENTS_MESSAGE_TYPE, "events": events}
    await channel_layers["default"].group_send(run_group(run_id), message)
    return HttpResponse(status=204)
