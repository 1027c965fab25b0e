"""Slide 'qkv-roles': Query、Key、Value 各司其職."""

from explainer.slide_scene import BulletSlide


class QkvRoles(BulletSlide):
    slide_id = "qkv-roles"
