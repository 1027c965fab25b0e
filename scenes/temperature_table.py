"""Slide 'temperature-table': 低溫求穩，高溫求變."""

from explainer.slide_scene import BulletSlide


class TemperatureTable(BulletSlide):
    slide_id = "temperature-table"
